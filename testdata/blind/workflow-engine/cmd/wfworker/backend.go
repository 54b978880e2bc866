package main

import (
	"context"
	"time"

	"example.com/wfengine/internal/client"
	"example.com/wfengine/internal/worker"
)

// httpBackend adapts the API client to worker.Backend.
type httpBackend struct {
	c *client.Client
}

func newHTTPBackend(c *client.Client) *httpBackend { return &httpBackend{c: c} }

func (b *httpBackend) Poll(ctx context.Context, queue string) (*worker.Task, error) {
	ti, err := b.c.PollTask(ctx, queue)
	if err != nil || ti == nil {
		return nil, err
	}
	return &worker.Task{
		ID:             ti.ID,
		WorkflowID:     ti.WorkflowID,
		Activity:       ti.Activity,
		Input:          ti.Input,
		Attempt:        ti.Attempt,
		MaxAttempts:    ti.MaxAttempts,
		Timeout:        time.Duration(ti.TimeoutMillis) * time.Millisecond,
		HeartbeatEvery: time.Duration(ti.HeartbeatMilli) * time.Millisecond,
		LeaseToken:     ti.LeaseToken,
	}, nil
}

func (b *httpBackend) Heartbeat(ctx context.Context, taskID string, details []byte) error {
	return b.c.Heartbeat(ctx, taskID, details)
}

func (b *httpBackend) Complete(ctx context.Context, r worker.Result) error {
	failure := ""
	if r.Err != nil {
		failure = r.Err.Error()
	}
	return b.c.CompleteTask(ctx, r.TaskID, r.Output, failure)
}
