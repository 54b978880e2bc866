package webhook

import (
	"fmt"
	"strings"

	"example.com/fah25/api"
)

// ValidateReplicas rejects negative replica counts and counts above max.
func ValidateReplicas(max int) Validator {
	return func(w *api.Widget) string {
		switch {
		case w.Spec.Replicas < 0:
			return "spec.replicas must not be negative"
		case w.Spec.Replicas > max:
			return fmt.Sprintf("spec.replicas must be at most %d", max)
		}
		return ""
	}
}

// ValidateImage requires images to come from one of the allowed registries.
func ValidateImage(allowedPrefixes ...string) Validator {
	return func(w *api.Widget) string {
		if w.Spec.Image == "" {
			return "spec.image is required"
		}
		for _, p := range allowedPrefixes {
			if strings.HasPrefix(w.Spec.Image, p) {
				return ""
			}
		}
		return fmt.Sprintf("image %q is not from an allowed registry", w.Spec.Image)
	}
}

// ValidateName enforces DNS-label names.
func ValidateName(w *api.Widget) string {
	if len(w.Name) == 0 || len(w.Name) > 63 {
		return "metadata.name must have 1 to 63 characters"
	}
	for _, r := range w.Name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Sprintf("metadata.name %q is not a DNS label", w.Name)
		}
	}
	return ""
}
