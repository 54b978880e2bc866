package webhook

import (
	"context"
	"fmt"
	"strings"

	"example.com/k8scontrollers/pkg/api"
)

// Validator accepts or rejects a request.
type Validator interface {
	Validate(ctx context.Context, req *AdmissionRequest) error
}

// PatchOp is one RFC 6902 operation.
type PatchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value,omitempty"`
}

// Mutator proposes patches for a widget.
type Mutator interface {
	Mutate(w *api.Widget) []PatchOp
}

// ReplicaLimit rejects widgets asking for more than Max replicas.
type ReplicaLimit struct {
	Max int32
}

// Validate implements Validator.
func (v ReplicaLimit) Validate(_ context.Context, req *AdmissionRequest) error {
	if req.Operation == "DELETE" {
		return nil
	}
	w, err := decodeObject(req.Object)
	if err != nil {
		return err
	}
	if w.Spec.Replicas > v.Max {
		return fmt.Errorf("spec.replicas %d exceeds the limit of %d", w.Spec.Replicas, v.Max)
	}
	return nil
}

// ImageRegistry only admits images from the allowed registries.
type ImageRegistry struct {
	Allowed []string
}

// Validate implements Validator.
func (v ImageRegistry) Validate(_ context.Context, req *AdmissionRequest) error {
	if req.Operation == "DELETE" || len(v.Allowed) == 0 {
		return nil
	}
	w, err := decodeObject(req.Object)
	if err != nil {
		return err
	}
	for _, prefix := range v.Allowed {
		if strings.HasPrefix(w.Spec.Image, strings.TrimSuffix(prefix, "/")+"/") {
			return nil
		}
	}
	return fmt.Errorf("image %q is not from an allowed registry", w.Spec.Image)
}

// ProtectedLabel marks widgets that must not be deleted.
const ProtectedLabel = "widgets.example.com/protected"

// DeletionProtection rejects deletes of protected widgets.
type DeletionProtection struct{}

// Validate implements Validator.
func (DeletionProtection) Validate(_ context.Context, req *AdmissionRequest) error {
	if req.Operation != "DELETE" {
		return nil
	}
	w, err := decodeObject(req.OldObject)
	if err != nil {
		return err
	}
	if w.Labels[ProtectedLabel] == "true" {
		return fmt.Errorf("widget %s is protected; remove the %s label first", w.Key(), ProtectedLabel)
	}
	return nil
}

// Defaults fills unset spec fields.
type Defaults struct {
	Replicas int32
	Image    string
}

// Mutate implements Mutator.
func (d Defaults) Mutate(w *api.Widget) []PatchOp {
	var ops []PatchOp
	if w.Spec.Replicas == 0 && d.Replicas > 0 {
		ops = append(ops, PatchOp{Op: "replace", Path: "/spec/replicas", Value: d.Replicas})
	}
	if w.Spec.Image == "" && d.Image != "" {
		ops = append(ops, PatchOp{Op: "add", Path: "/spec/image", Value: d.Image})
	}
	return ops
}

// ManagedBy stamps the app.kubernetes.io/managed-by label.
type ManagedBy struct {
	Value string
}

// Mutate implements Mutator.
func (m ManagedBy) Mutate(w *api.Widget) []PatchOp {
	const key = "app.kubernetes.io/managed-by"
	if w.Labels == nil {
		return []PatchOp{{Op: "add", Path: "/metadata/labels", Value: map[string]string{key: m.Value}}}
	}
	if w.Labels[key] == m.Value {
		return nil
	}
	return []PatchOp{{Op: "add", Path: "/metadata/labels/" + escapeJSONPointer(key), Value: m.Value}}
}

func escapeJSONPointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
