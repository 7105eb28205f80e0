package org.licensebackup.schedule.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.licensebackup.api.schedule.BackupSchedules;
import org.licensebackup.api.schedule.ScheduleStatus;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@link BackupSchedules}: every schedule configured now. */
@Component(service = BackupSchedules.class)
public class SchedulesComponent implements BackupSchedules {

    private final List<ScheduleComponent> schedules = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSchedule(ScheduleComponent schedule) {
        schedules.add(schedule);
    }

    void removeSchedule(ScheduleComponent schedule) {
        schedules.remove(schedule);
    }

    @Override
    public List<ScheduleStatus> schedules() {
        return schedules.stream().map(ScheduleComponent::status).sorted(Comparator.comparing(ScheduleStatus::name)).toList();
    }

    @Override
    public Optional<ScheduleStatus> schedule(String name) {
        return find(name).map(ScheduleComponent::status);
    }

    @Override
    public boolean runNow(String name) {
        Optional<ScheduleComponent> schedule = find(name);
        schedule.ifPresent(ScheduleComponent::runNow);
        return schedule.isPresent();
    }

    private Optional<ScheduleComponent> find(String name) {
        return schedules.stream().filter(schedule -> schedule.name().equals(name)).findFirst();
    }
}
