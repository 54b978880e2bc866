// Package api defines the Widget resource and the object metadata shared by
// every controller, webhook and client in this repository.
package api

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// ObjectMeta is the subset of Kubernetes object metadata the controllers use.
type ObjectMeta struct {
	Namespace         string            `json:"namespace,omitempty"`
	Name              string            `json:"name"`
	UID               string            `json:"uid,omitempty"`
	ResourceVersion   string            `json:"resourceVersion,omitempty"`
	Generation        int64             `json:"generation,omitempty"`
	Labels            map[string]string `json:"labels,omitempty"`
	Annotations       map[string]string `json:"annotations,omitempty"`
	Finalizers        []string          `json:"finalizers,omitempty"`
	DeletionTimestamp *time.Time        `json:"deletionTimestamp,omitempty"`
}

// Object is implemented by every resource kept in a cache.
type Object interface {
	GetMeta() *ObjectMeta
	DeepCopyObject() Object
}

// NamespacedKey builds the cache key "namespace/name" (or "name" for
// cluster-scoped objects).
func NamespacedKey(namespace, name string) string {
	if namespace == "" {
		return name
	}
	return namespace + "/" + name
}

// Key returns the cache key of the object.
func (m *ObjectMeta) Key() string {
	return NamespacedKey(m.Namespace, m.Name)
}

// SplitKey is the inverse of NamespacedKey.
func SplitKey(key string) (namespace, name string, err error) {
	parts := strings.Split(key, "/")
	switch len(parts) {
	case 1:
		if parts[0] != "" {
			return "", parts[0], nil
		}
	case 2:
		if parts[0] != "" && parts[1] != "" {
			return parts[0], parts[1], nil
		}
	}
	return "", "", fmt.Errorf("api: unexpected key format %q", key)
}

// IsDeleting reports whether the object has been marked for deletion.
func (m *ObjectMeta) IsDeleting() bool {
	return m.DeletionTimestamp != nil && !m.DeletionTimestamp.IsZero()
}

// HasFinalizer reports whether f is present on the object.
func (m *ObjectMeta) HasFinalizer(f string) bool {
	return slices.Contains(m.Finalizers, f)
}

// AddFinalizer adds f if it is missing and reports whether it changed the
// object.
func (m *ObjectMeta) AddFinalizer(f string) bool {
	if m.HasFinalizer(f) {
		return false
	}
	m.Finalizers = append(m.Finalizers, f)
	return true
}

// RemoveFinalizer removes every occurrence of f and reports whether it
// changed the object.
func (m *ObjectMeta) RemoveFinalizer(f string) bool {
	before := len(m.Finalizers)
	m.Finalizers = slices.DeleteFunc(m.Finalizers, func(s string) bool { return s == f })
	return len(m.Finalizers) != before
}

func (m *ObjectMeta) deepCopy() ObjectMeta {
	out := *m
	out.Labels = maps.Clone(m.Labels)
	out.Annotations = maps.Clone(m.Annotations)
	out.Finalizers = slices.Clone(m.Finalizers)
	if m.DeletionTimestamp != nil {
		ts := *m.DeletionTimestamp
		out.DeletionTimestamp = &ts
	}
	return out
}

// WidgetSpec is the desired state of a Widget.
type WidgetSpec struct {
	Replicas int32  `json:"replicas"`
	Image    string `json:"image"`
	Paused   bool   `json:"paused,omitempty"`
}

// Condition is a standard status condition.
type Condition struct {
	Type               string    `json:"type"`
	Status             string    `json:"status"`
	Reason             string    `json:"reason,omitempty"`
	Message            string    `json:"message,omitempty"`
	LastTransitionTime time.Time `json:"lastTransitionTime"`
}

// WidgetStatus is the observed state of a Widget.
type WidgetStatus struct {
	ObservedGeneration int64       `json:"observedGeneration,omitempty"`
	ReadyReplicas      int32       `json:"readyReplicas"`
	Conditions         []Condition `json:"conditions,omitempty"`
}

// Widget is the custom resource reconciled by the widget controller.
type Widget struct {
	ObjectMeta `json:"metadata"`
	Spec       WidgetSpec   `json:"spec"`
	Status     WidgetStatus `json:"status"`
}

// GetMeta implements Object.
func (w *Widget) GetMeta() *ObjectMeta {
	return &w.ObjectMeta
}

// DeepCopy returns an independent copy of w.
func (w *Widget) DeepCopy() *Widget {
	if w == nil {
		return nil
	}
	out := &Widget{ObjectMeta: w.ObjectMeta.deepCopy(), Spec: w.Spec, Status: w.Status}
	out.Status.Conditions = slices.Clone(w.Status.Conditions)
	return out
}

// DeepCopyObject implements Object.
func (w *Widget) DeepCopyObject() Object {
	return w.DeepCopy()
}

// IsReady reports whether the Ready condition is true and every replica is up.
func (w *Widget) IsReady() bool {
	c := FindCondition(w.Status.Conditions, "Ready")
	if c == nil || c.Status != "True" {
		return false
	}
	return w.Status.ReadyReplicas >= w.Spec.Replicas
}

// FindCondition returns the condition of type t, or nil.
func FindCondition(conds []Condition, t string) *Condition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}

// SetCondition inserts or updates c, keeping LastTransitionTime stable when
// the status does not change.
func SetCondition(conds []Condition, c Condition, now time.Time) []Condition {
	existing := FindCondition(conds, c.Type)
	if existing == nil {
		c.LastTransitionTime = now
		return append(conds, c)
	}
	if existing.Status != c.Status {
		existing.LastTransitionTime = now
	}
	existing.Status = c.Status
	existing.Reason = c.Reason
	existing.Message = c.Message
	return conds
}
