// Package consumer defines the interfaces through which telemetry flows from
// receivers through processors to exporters.
package consumer

import (
	"context"
	"errors"

	"example.com/fah30/pdata"
)

// ErrDataRefused is returned by a component that refuses data under pressure;
// receivers translate it into a retryable status for their clients.
var ErrDataRefused = errors.New("data refused due to back pressure")

// Traces consumes span batches.
type Traces interface {
	ConsumeTraces(ctx context.Context, b pdata.Batch) error
}

// Logs consumes log records.
type Logs interface {
	ConsumeLogs(ctx context.Context, logs []pdata.LogRecord) error
}

// TracesFunc adapts a function to Traces.
type TracesFunc func(ctx context.Context, b pdata.Batch) error

// ConsumeTraces calls f.
func (f TracesFunc) ConsumeTraces(ctx context.Context, b pdata.Batch) error { return f(ctx, b) }
