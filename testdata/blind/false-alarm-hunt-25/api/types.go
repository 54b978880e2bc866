// Package api holds the resource types the operator watches and writes.
package api

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ObjectMeta is the metadata every stored object carries.
type ObjectMeta struct {
	Namespace       string
	Name            string
	UID             string
	ResourceVersion string
	Generation      int64
	Labels          map[string]string
	Annotations     map[string]string
	DeletionTime    *time.Time
	Finalizers      []string
}

// Object is anything the cache can hold.
type Object interface {
	GetMeta() *ObjectMeta
	DeepCopyObject() Object
}

// WidgetSpec is the desired state of a Widget.
type WidgetSpec struct {
	Replicas int
	Image    string
	Paused   bool
}

// Condition is one observed condition of a Widget.
type Condition struct {
	Type           string
	Status         string
	Reason         string
	Message        string
	LastTransition time.Time
}

// WidgetStatus is the observed state of a Widget.
type WidgetStatus struct {
	ObservedGeneration int64
	ReadyReplicas      int
	Phase              string
	Conditions         []Condition
}

// Widget is the custom resource reconciled by the operator.
type Widget struct {
	ObjectMeta
	Spec   WidgetSpec
	Status WidgetStatus
}

// GetMeta returns the object's metadata.
func (w *Widget) GetMeta() *ObjectMeta { return &w.ObjectMeta }

// DeepCopyObject returns an independent copy of w.
func (w *Widget) DeepCopyObject() Object {
	out := *w
	out.Labels = copyMap(w.Labels)
	out.Annotations = copyMap(w.Annotations)
	out.Finalizers = append([]string(nil), w.Finalizers...)
	out.Status.Conditions = append([]Condition(nil), w.Status.Conditions...)
	if w.DeletionTime != nil {
		t := *w.DeletionTime
		out.DeletionTime = &t
	}
	return &out
}

func copyMap(in map[string]string) map[string]string {
	if in == nil {
		return nil
	}
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = v
	}
	return out
}

// HasFinalizer reports whether f is present on the object.
func (m *ObjectMeta) HasFinalizer(f string) bool {
	for _, x := range m.Finalizers {
		if x == f {
			return true
		}
	}
	return false
}

// RemoveFinalizer drops f from the object's finalizers.
func (m *ObjectMeta) RemoveFinalizer(f string) {
	kept := m.Finalizers[:0]
	for _, x := range m.Finalizers {
		if x != f {
			kept = append(kept, x)
		}
	}
	m.Finalizers = kept
}

// IsDeleting reports whether the object has a deletion timestamp.
func (m *ObjectMeta) IsDeleting() bool { return m.DeletionTime != nil }

// KeyFunc returns the "namespace/name" key of obj.
func KeyFunc(obj Object) (string, error) {
	if obj == nil {
		return "", errors.New("api: nil object has no key")
	}
	m := obj.GetMeta()
	if m.Name == "" {
		return "", fmt.Errorf("api: object in namespace %q has no name", m.Namespace)
	}
	if m.Namespace == "" {
		return m.Name, nil
	}
	return m.Namespace + "/" + m.Name, nil
}

// SplitKey splits a key produced by KeyFunc.
func SplitKey(key string) (namespace, name string, err error) {
	parts := strings.Split(key, "/")
	switch len(parts) {
	case 1:
		return "", parts[0], nil
	case 2:
		if parts[1] == "" {
			return "", "", fmt.Errorf("api: key %q has an empty name", key)
		}
		return parts[0], parts[1], nil
	}
	return "", "", fmt.Errorf("api: unexpected key format %q", key)
}

// SetCondition inserts or updates c in conds, keeping the transition time when the status is unchanged.
func SetCondition(conds []Condition, c Condition, now time.Time) []Condition {
	for i := range conds {
		if conds[i].Type != c.Type {
			continue
		}
		if conds[i].Status == c.Status {
			c.LastTransition = conds[i].LastTransition
		} else {
			c.LastTransition = now
		}
		conds[i] = c
		return conds
	}
	c.LastTransition = now
	return append(conds, c)
}

// Lease is a coordination lease used for leader election.
type Lease struct {
	Name            string
	HolderIdentity  string
	LeaseDuration   time.Duration
	AcquireTime     time.Time
	RenewTime       time.Time
	Transitions     int
	ResourceVersion string
}

// Expired reports whether the lease ran out at now.
func (l *Lease) Expired(now time.Time) bool {
	if l.HolderIdentity == "" {
		return true
	}
	return l.RenewTime.Add(l.LeaseDuration).Before(now)
}

// Event is a recorded occurrence about an object.
type Event struct {
	Object    string
	Type      string
	Reason    string
	Message   string
	Count     int
	FirstSeen time.Time
	LastSeen  time.Time
}

// AggregationKey groups repeated events about the same thing.
func (e Event) AggregationKey() string {
	return strings.Join([]string{e.Object, e.Type, e.Reason, e.Message}, "\x00")
}
