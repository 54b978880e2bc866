// Package api defines the Cluster custom resource managed by the operator and
// the client interface the operator uses to talk to the API server.
package api

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Errors returned by Client implementations. Callers test them with errors.Is.
var (
	ErrNotFound      = errors.New("api: object not found")
	ErrConflict      = errors.New("api: resource version conflict")
	ErrAlreadyExists = errors.New("api: object already exists")
)

// ObjectMeta is the metadata every stored object carries.
type ObjectMeta struct {
	Namespace         string
	Name              string
	UID               string
	ResourceVersion   int64
	Generation        int64
	Labels            map[string]string
	Finalizers        []string
	DeletionTimestamp *time.Time
}

// Key returns the namespace/name key used by caches and work queues.
func (m ObjectMeta) Key() string {
	if m.Namespace == "" {
		return m.Name
	}
	return m.Namespace + "/" + m.Name
}

// HasFinalizer reports whether f is present in the finalizer list.
func (m *ObjectMeta) HasFinalizer(f string) bool {
	return slices.Contains(m.Finalizers, f)
}

// AddFinalizer appends f unless it is already present and reports whether
// the list changed.
func (m *ObjectMeta) AddFinalizer(f string) bool {
	if m.HasFinalizer(f) {
		return false
	}
	m.Finalizers = append(m.Finalizers, f)
	return true
}

// RemoveFinalizer removes every occurrence of f and reports whether the list
// changed.
func (m *ObjectMeta) RemoveFinalizer(f string) bool {
	n := len(m.Finalizers)
	m.Finalizers = slices.DeleteFunc(m.Finalizers, func(s string) bool { return s == f })
	return len(m.Finalizers) != n
}

// SplitKey splits a namespace/name key. A key without a slash is a
// cluster-scoped name.
func SplitKey(key string) (namespace, name string, err error) {
	ns, n, found := strings.Cut(key, "/")
	if !found {
		return "", key, nil
	}
	if ns == "" || n == "" || strings.Contains(n, "/") {
		return "", "", fmt.Errorf("api: malformed key %q", key)
	}
	return ns, n, nil
}

// ClusterSpec is the desired state of a Cluster.
type ClusterSpec struct {
	Replicas   int
	Version    string
	StorageDir string
	Paused     bool
}

// ClusterPhase is the coarse lifecycle state reported in the status.
type ClusterPhase string

// Phases of a Cluster.
const (
	PhasePending      ClusterPhase = "Pending"
	PhaseProvisioning ClusterPhase = "Provisioning"
	PhaseRunning      ClusterPhase = "Running"
	PhaseFailed       ClusterPhase = "Failed"
	PhaseTerminating  ClusterPhase = "Terminating"
)

// Condition is one observation about the object, in the Kubernetes style.
type Condition struct {
	Type               string
	Status             string
	Reason             string
	Message            string
	LastTransitionTime time.Time
}

// ClusterStatus is the observed state of a Cluster.
type ClusterStatus struct {
	Phase              ClusterPhase
	ReadyReplicas      int
	ObservedGeneration int64
	Conditions         []Condition
}

// SetCondition inserts or replaces the condition of the same type. The
// transition time is kept when the status value did not change.
func (s *ClusterStatus) SetCondition(c Condition) {
	for i := range s.Conditions {
		if s.Conditions[i].Type != c.Type {
			continue
		}
		if s.Conditions[i].Status == c.Status {
			c.LastTransitionTime = s.Conditions[i].LastTransitionTime
		}
		s.Conditions[i] = c
		return
	}
	s.Conditions = append(s.Conditions, c)
}

// Cluster is the custom resource reconciled by the operator.
type Cluster struct {
	Meta   ObjectMeta
	Spec   ClusterSpec
	Status ClusterStatus
}

// DeepCopy returns a copy that shares no mutable state with c.
func (c *Cluster) DeepCopy() *Cluster {
	if c == nil {
		return nil
	}
	out := *c
	out.Meta.Labels = maps.Clone(c.Meta.Labels)
	out.Meta.Finalizers = slices.Clone(c.Meta.Finalizers)
	if c.Meta.DeletionTimestamp != nil {
		t := *c.Meta.DeletionTimestamp
		out.Meta.DeletionTimestamp = &t
	}
	out.Status.Conditions = slices.Clone(c.Status.Conditions)
	return &out
}

// EventType is the kind of change a watch event reports.
type EventType string

// Watch event types.
const (
	Added    EventType = "ADDED"
	Modified EventType = "MODIFIED"
	Deleted  EventType = "DELETED"
)

// Event is one change delivered by a Watcher.
type Event struct {
	Type   EventType
	Object *Cluster
}
