package nilfunc

import "fmt"

type maintenanceJob struct {
	name    string
	run     func() error
	cleanup func()
}

// The second job has no cleanup: its deferred call panics.
func runMaintenance(log func(string)) error {
	jobs := []maintenanceJob{
		{name: "meta", run: func() error { return nil }, cleanup: func() { log("meta cleared") }},
		{name: "routes", run: func() error { return nil }},
	}
	for _, j := range jobs {
		if err := func() error {
			defer j.cleanup() // want `j ranges over jobs, whose element on line \d+ leaves its func field cleanup out`
			return j.run()
		}(); err != nil {
			return fmt.Errorf("maintenance %s: %w", j.name, err)
		}
	}
	return nil
}

// Every job has a cleanup: no finding.
func runMaintenanceAll(log func(string)) error {
	jobs := []maintenanceJob{
		{name: "meta", run: func() error { return nil }, cleanup: func() { log("meta") }},
		{name: "routes", run: func() error { return nil }, cleanup: func() {}},
	}
	for _, j := range jobs {
		if err := func() error {
			defer j.cleanup()
			return j.run()
		}(); err != nil {
			return fmt.Errorf("maintenance %s: %w", j.name, err)
		}
	}
	return nil
}

// The loop fills in a missing cleanup first: no finding.
func runMaintenanceDefaulted() error {
	jobs := []maintenanceJob{
		{name: "routes", run: func() error { return nil }},
	}
	for _, j := range jobs {
		if j.cleanup == nil {
			j.cleanup = func() {}
		}
		defer j.cleanup()
		if err := j.run(); err != nil {
			return err
		}
	}
	return nil
}
