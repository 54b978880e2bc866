// Package webhook implements validating and mutating admission webhooks for
// Widgets.
package webhook

import (
	"encoding/json"
	"fmt"

	"example.com/k8scontrollers/pkg/api"
)

// AdmissionRequest is the request part of an AdmissionReview.
type AdmissionRequest struct {
	UID       string          `json:"uid"`
	Kind      string          `json:"kind"`
	Operation string          `json:"operation"`
	User      string          `json:"user,omitempty"`
	Object    json.RawMessage `json:"object,omitempty"`
	OldObject json.RawMessage `json:"oldObject,omitempty"`
}

// Status carries the reason of a denial.
type Status struct {
	Code    int32  `json:"code"`
	Message string `json:"message"`
}

// AdmissionResponse is the response part of an AdmissionReview.
type AdmissionResponse struct {
	UID       string   `json:"uid"`
	Allowed   bool     `json:"allowed"`
	Result    *Status  `json:"status,omitempty"`
	Patch     []byte   `json:"patch,omitempty"`
	PatchType string   `json:"patchType,omitempty"`
	Warnings  []string `json:"warnings,omitempty"`
}

// AdmissionReview is the envelope exchanged with the API server.
type AdmissionReview struct {
	APIVersion string             `json:"apiVersion"`
	Kind       string             `json:"kind"`
	Request    *AdmissionRequest  `json:"request,omitempty"`
	Response   *AdmissionResponse `json:"response,omitempty"`
}

// Allowed returns an allowing response for uid.
func Allowed(uid string) *AdmissionResponse {
	return &AdmissionResponse{UID: uid, Allowed: true}
}

// Denied returns a denying response for uid.
func Denied(uid string, code int32, format string, args ...any) *AdmissionResponse {
	return &AdmissionResponse{
		UID:     uid,
		Allowed: false,
		Result:  &Status{Code: code, Message: fmt.Sprintf(format, args...)},
	}
}

// decodeObject parses the widget carried by a request.
func decodeObject(raw json.RawMessage) (*api.Widget, error) {
	if len(raw) == 0 {
		return nil, fmt.Errorf("webhook: request carries no object")
	}
	var w api.Widget
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("webhook: decode object: %w", err)
	}
	return &w, nil
}
