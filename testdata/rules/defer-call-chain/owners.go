package callchain

import (
	"log"
	"os"
	"slices"
)

type journalReport struct{ paths []string }

func (r journalReport) Log(l *log.Logger) { l.Println(len(r.paths), "removed") }

type journal struct{ removed []string }

func (j *journal) record(path string) { j.removed = append(j.removed, path) }

func (j *journal) Report() journalReport {
	return journalReport{paths: slices.Clone(j.removed)}
}

type cleaner struct {
	journal journal
	log     *log.Logger
	dryRun  bool
}

// remove changes the journal through the owner's own path (c.journal.record).
func (c *cleaner) remove(path string) error {
	if !c.dryRun {
		if err := os.RemoveAll(path); err != nil {
			return err
		}
	}
	c.journal.record(path)
	return nil
}

// describe only logs: the journal stays as it is.
func (c *cleaner) describe(path string) { c.log.Println("would remove", path) }

// The report is taken at the defer, before c.remove records anything: it always logs nothing.
func (c *cleaner) prune(dirs []string) error {
	defer c.journal.Report().Log(c.log) // want `c\.journal\.Report\(\) runs now, at the defer statement, and reads c\.journal\.removed, which cleaner\.prune changes afterwards through c\.remove\(d\)`
	for _, d := range dirs {
		if err := c.remove(d); err != nil {
			return err
		}
	}
	return nil
}

// The owner's method here leaves the journal alone: the report at the defer is the final one.
func (c *cleaner) preview(dirs []string) {
	defer c.journal.Report().Log(c.log)
	for _, d := range dirs {
		c.describe(d)
	}
}

type clusterStatus struct {
	ready      int
	conditions []string
}

func (s *clusterStatus) setCondition(c string) { s.conditions = append(s.conditions, c) }

type cluster struct {
	name   string
	status clusterStatus
}

type statusPublisher struct {
	name   string
	status clusterStatus
}

func (p *statusPublisher) publish(l *log.Logger) {
	l.Println(p.name, p.status.ready, p.status.conditions)
}

type controller struct{ log *log.Logger }

// publisherFor copies the object's status as it is now.
func (c *controller) publisherFor(obj *cluster) *statusPublisher {
	st := obj.status
	st.conditions = slices.Clone(obj.status.conditions)
	return &statusPublisher{name: obj.name, status: st}
}

// The status is copied at the defer, before the function sets it: the old one is published.
func (c *controller) refresh(obj *cluster, replicas int) {
	defer c.publisherFor(obj).publish(c.log) // want `c\.publisherFor\(obj\) runs now, at the defer statement, and reads obj\.status, which controller\.refresh (assigns|changes) afterwards`
	obj.status.ready = replicas
	obj.status.setCondition("Ready")
}

// The status is set before the defer: what is copied is what the function meant to publish.
func (c *controller) refreshFirst(obj *cluster, replicas int) {
	obj.status.ready = replicas
	obj.status.setCondition("Ready")
	defer c.publisherFor(obj).publish(c.log)
	c.log.Println("refreshed", obj.name)
}
