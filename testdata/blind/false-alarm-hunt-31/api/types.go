// Package api holds the object model shared by the controllers: a tiny,
// dependency-free imitation of Kubernetes object metadata and status.
package api

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// ObjectMeta is the identifying part of every object.
type ObjectMeta struct {
	Namespace         string
	Name              string
	ResourceVersion   int64
	Labels            map[string]string
	Finalizers        []string
	DeletionTimestamp *time.Time
}

// Condition is one observed aspect of an object's state.
type Condition struct {
	Type               string
	Status             string
	Reason             string
	Message            string
	LastTransitionTime time.Time
}

// Status is what controllers write back.
type Status struct {
	ObservedGeneration int64
	Phase              string
	Conditions         []Condition
}

// Object is the only kind this project manages.
type Object struct {
	ObjectMeta
	Generation int64
	Spec       map[string]string
	Status     Status
}

// KeyOf returns the "namespace/name" key of obj.
func KeyOf(obj *Object) string {
	if obj.Namespace == "" {
		return obj.Name
	}
	return obj.Namespace + "/" + obj.Name
}

// SplitKey is the inverse of KeyOf.
func SplitKey(key string) (namespace, name string, err error) {
	parts := strings.Split(key, "/")
	switch len(parts) {
	case 1:
		return "", parts[0], nil
	case 2:
		if parts[0] == "" || parts[1] == "" {
			return "", "", fmt.Errorf("malformed key %q", key)
		}
		return parts[0], parts[1], nil
	}
	return "", "", fmt.Errorf("unexpected key format %q", key)
}

// DeepCopy returns an independent copy of o.
func (o *Object) DeepCopy() *Object {
	if o == nil {
		return nil
	}
	out := *o
	if o.Labels != nil {
		out.Labels = make(map[string]string, len(o.Labels))
		for k, v := range o.Labels {
			out.Labels[k] = v
		}
	}
	out.Finalizers = slices.Clone(o.Finalizers)
	if o.DeletionTimestamp != nil {
		ts := *o.DeletionTimestamp
		out.DeletionTimestamp = &ts
	}
	if o.Spec != nil {
		out.Spec = make(map[string]string, len(o.Spec))
		for k, v := range o.Spec {
			out.Spec[k] = v
		}
	}
	out.Status.Conditions = slices.Clone(o.Status.Conditions)
	return &out
}

// IsDeleting reports whether deletion was requested.
func (o *Object) IsDeleting() bool {
	return o.DeletionTimestamp != nil
}

// HasFinalizer reports whether name is among the finalizers.
func (o *Object) HasFinalizer(name string) bool {
	return slices.Contains(o.Finalizers, name)
}

// RemoveFinalizer drops name and reports whether it was present.
func (o *Object) RemoveFinalizer(name string) bool {
	i := slices.Index(o.Finalizers, name)
	if i < 0 {
		return false
	}
	o.Finalizers = slices.Delete(o.Finalizers, i, i+1)
	return true
}

// SetCondition inserts or replaces the condition of the same type,
// keeping LastTransitionTime when the status does not change.
func (s *Status) SetCondition(c Condition) {
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
	if c.LastTransitionTime.IsZero() {
		c.LastTransitionTime = time.Now()
	}
	s.Conditions = append(s.Conditions, c)
}
