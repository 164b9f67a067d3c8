-- A unit removed from an obligation and later re-added runs again under the same workflow id (a
-- new generation of the instance, InstanceInput.generation). Its projection row must replace the
-- old run's even though the old run reached a later cycle (a recurring duty withdrawn in cycle 5
-- restarts at cycle 1): rows are compared by generation first, then by cycle and time. Existing
-- rows and first runs are generation 1.
ALTER TABLE instances ADD COLUMN generation integer NOT NULL DEFAULT 1;
