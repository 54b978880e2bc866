package callchain

import (
	"log"
	"time"
)

type runReport struct {
	id      string
	elapsed time.Duration
}

func (r *runReport) send() { log.Printf("%s took %s", r.id, r.elapsed) }

type runner struct{ name string }

// newReport fills in the elapsed time as it builds the report.
func (r *runner) newReport(start time.Time) *runReport {
	return &runReport{id: r.name, elapsed: time.Since(start)}
}

// The report is built at the defer statement: it records almost no time at all.
func (r *runner) runReported(work func()) {
	start := time.Now()
	defer r.newReport(start).send() // want `r\.newReport\(start\) runs now, at the defer statement, and measures elapsed time there \(time\.Since\(start\) on line \d+\)`
	work()
}

type stopwatch struct{ began time.Time }

// startWatch reads the clock to start timing: what the deferred stop measures from.
func startWatch() *stopwatch { return &stopwatch{began: time.Now()} }

func (s *stopwatch) stop(name string) { log.Printf("%s took %s", name, time.Since(s.began)) }

func (r *runner) runTimed(work func()) {
	defer startWatch().stop(r.name)
	work()
}

type settings struct{ values map[string]string }

func (s *settings) Clone() *settings {
	c := &settings{values: make(map[string]string, len(s.values))}
	for k, v := range s.values {
		c.values[k] = v
	}
	return c
}

func (s *settings) Save() { log.Printf("saving %d settings", len(s.values)) }

// The copy is taken at the defer statement, before the update: the old values are saved.
func setAndSave(s *settings, k, v string) {
	defer s.Clone().Save() // want `s\.Clone\(\) runs now, at the defer statement, and only Save waits`
	s.values[k] = v
}
