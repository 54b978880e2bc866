package controller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"example.com/operator/api"
)

// setCondition records cond in the controller's view of key's status.
func (c *Controller) setCondition(key string, cond api.Condition) {
	c.statusMu.Lock()
	defer c.statusMu.Unlock()
	st := c.lastStatus[key]
	cond.LastTransitionTime = time.Now()
	st.SetCondition(cond)
	c.lastStatus[key] = st
	if cond.Status == "False" {
		c.noteWarning(key, cond.Reason) // HAZ lock-reentry-under-defer
	}
}

// noteWarning counts a warning for key and logs it.
func (c *Controller) noteWarning(key, reason string) {
	c.statusMu.Lock()
	c.warnings[key]++
	n := c.warnings[key]
	c.statusMu.Unlock()
	c.logger.Printf("controller: warning %d for %s: %s", n, key, reason)
	c.metrics.Inc("reconcile_warnings_total")
}

// clearConditionLocked removes the condition of type t. c.statusMu must be
// held.
func (c *Controller) clearConditionLocked(key, t string) bool {
	st, ok := c.lastStatus[key]
	if !ok {
		return false
	}
	n := len(st.Conditions)
	st.Conditions = slices.DeleteFunc(st.Conditions, func(cond api.Condition) bool { return cond.Type == t })
	c.lastStatus[key] = st
	return len(st.Conditions) != n
}

// resetWarnings clears the warning count and the Degraded condition of key
// once it reconciled cleanly.
func (c *Controller) resetWarnings(key string) {
	c.statusMu.Lock()
	defer c.statusMu.Unlock()
	delete(c.warnings, key)
	if c.clearConditionLocked(key, "Degraded") {
		c.logger.Printf("controller: %s recovered", key)
	}
}

// updateStatus writes status unless it equals what was last written,
// retrying with a fresh copy on conflicts.
func (c *Controller) updateStatus(ctx context.Context, obj *api.Cluster, status api.ClusterStatus) error {
	key := obj.Meta.Key()
	c.statusMu.Lock()
	last, seen := c.lastStatus[key]
	c.statusMu.Unlock()
	if seen && statusEqual(last, status) {
		return nil
	}
	for attempt := 0; ; attempt++ {
		obj.Status = status
		_, err := c.client.UpdateStatus(ctx, obj)
		if err == nil {
			break
		}
		if !errors.Is(err, api.ErrConflict) || attempt >= 3 {
			return err
		}
		fresh, gerr := c.client.Get(ctx, key)
		if gerr != nil {
			return gerr
		}
		obj = fresh
	}
	c.statusMu.Lock()
	c.lastStatus[key] = status
	c.statusMu.Unlock()
	c.transition(key, status.Phase)
	c.resetWarnings(key)
	return nil
}

func statusEqual(a, b api.ClusterStatus) bool {
	return a.Phase == b.Phase &&
		a.ReadyReplicas == b.ReadyReplicas &&
		a.ObservedGeneration == b.ObservedGeneration &&
		slices.EqualFunc(a.Conditions, b.Conditions, func(x, y api.Condition) bool {
			return x.Type == y.Type && x.Status == y.Status && x.Reason == y.Reason
		})
}

// transition runs the exit action of the phase key is leaving.
func (c *Controller) transition(key string, next api.ClusterPhase) {
	c.statusMu.Lock()
	st := c.lastStatus[key]
	prev := st.Phase
	st.Phase = next
	c.lastStatus[key] = st
	c.statusMu.Unlock()
	if prev == next {
		return
	}
	defer c.leaveActions[prev](key) // HAZ defer-nil-func
	c.logger.Printf("controller: %s: %s -> %s", key, prev, next)
	c.metrics.Inc("phase_transitions_total")
}

// markAll sets the phase of every key, e.g. to Pending when this replica
// stops leading.
func (c *Controller) markAll(keys []string, phase api.ClusterPhase) {
	for _, key := range keys {
		c.statusMu.Lock()
		defer c.statusMu.Unlock() // HAZ defer-in-loop
		st := c.lastStatus[key]
		st.Phase = phase
		c.lastStatus[key] = st
	}
}

// markAllPending is markAll done right: one critical section for the batch.
func (c *Controller) markAllPending(keys []string) {
	c.statusMu.Lock()
	defer c.statusMu.Unlock()
	for _, key := range keys {
		st := c.lastStatus[key]
		st.Phase = api.PhasePending
		c.lastStatus[key] = st
	}
}

// recordResult logs and counts the outcome of op on key.
func (c *Controller) recordResult(key, op string, err error) {
	if err != nil {
		c.metrics.Inc(op + "_errors_total")
		c.logger.Printf("controller: %s %s: %v", op, key, err)
		return
	}
	c.metrics.Inc(op + "_total")
}

// statusPublisher writes a precomputed status for one object.
type statusPublisher struct {
	c      *Controller
	obj    *api.Cluster
	status api.ClusterStatus
}

// publisherFor captures obj's current status for publishing.
func (c *Controller) publisherFor(obj *api.Cluster) *statusPublisher {
	st := obj.Status
	st.Conditions = slices.Clone(obj.Status.Conditions)
	return &statusPublisher{c: c, obj: obj, status: st}
}

// Publish writes the captured status straight to the API server.
func (p *statusPublisher) Publish(ctx context.Context) {
	obj := p.obj.DeepCopy()
	obj.Status = p.status
	if _, err := p.c.client.UpdateStatus(ctx, obj); err != nil {
		p.c.logger.Printf("controller: publishing status of %s: %v", obj.Meta.Key(), err)
	}
}

// refreshReadiness probes every replica of obj and publishes the resulting
// Ready condition when it returns.
func (c *Controller) refreshReadiness(ctx context.Context, obj *api.Cluster) error {
	defer c.publisherFor(obj).Publish(ctx) // HAZ defer-call-chain
	dir := c.storageDir(obj)
	for i := range obj.Spec.Replicas {
		if err := probeReplica(dir, i); err != nil {
			obj.Status.SetCondition(api.Condition{Type: "Ready", Status: "False", Reason: "ProbeFailed", Message: err.Error()})
			return err
		}
	}
	obj.Status.ReadyReplicas = obj.Spec.Replicas
	obj.Status.SetCondition(api.Condition{Type: "Ready", Status: "True", Reason: "AllReplicasReady"})
	return nil
}

// refreshReadinessNow is the fixed form: the status is computed first and
// published explicitly.
func (c *Controller) refreshReadinessNow(ctx context.Context, obj *api.Cluster) error {
	ready := countReady(c.storageDir(obj), obj.Spec.Replicas)
	obj.Status.ReadyReplicas = ready
	cond := api.Condition{Type: "Ready", Status: "True", Reason: "AllReplicasReady"}
	if ready < obj.Spec.Replicas {
		cond = api.Condition{Type: "Ready", Status: "False", Reason: "ProbeFailed",
			Message: fmt.Sprintf("%d of %d replicas ready", ready, obj.Spec.Replicas)}
	}
	obj.Status.SetCondition(cond)
	c.publisherFor(obj).Publish(ctx)
	return nil
}

// writeStatusSnapshot saves st so that a restarted operator can report the
// last known status before its first reconcile.
func writeStatusSnapshot(path string, st api.ClusterStatus) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return json.NewEncoder(f).Encode(st)
}

// readStatusSnapshot loads a snapshot written by writeStatusSnapshot.
func readStatusSnapshot(path string) (api.ClusterStatus, error) {
	var st api.ClusterStatus
	data, err := os.ReadFile(path)
	if err != nil {
		return st, err
	}
	err = json.Unmarshal(data, &st)
	return st, err
}

// saveStatusSnapshot is writeStatusSnapshot with the close error reported
// through the named result.
func saveStatusSnapshot(path string, st api.ClusterStatus) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return json.NewEncoder(f).Encode(st)
}
