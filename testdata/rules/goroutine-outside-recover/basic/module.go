package outsiderecover

import (
	"context"
	"fmt"

	"example.com/outsiderecover/pubsub"
)

type agent struct{ client *pubsub.Client }

func (a *agent) recoverFatal(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("agent: panic: %v", r)
	}
}

// The goroutine runs a method of another package of the module that has no recover.
func (a *agent) run(ctx context.Context) (err error) {
	defer a.recoverFatal(&err)
	go a.client.Run(ctx) // want `agent\.run protects itself with a deferred recover \(line \d+\), but the goroutine started on line \d+ runs a\.client\.Run of package example\.com/outsiderecover/pubsub, which has no recover of its own`
	return nil
}

// The same with the method that recovers by itself.
func (a *agent) runSafe(ctx context.Context) (err error) {
	defer a.recoverFatal(&err)
	go a.client.RunSafe(ctx)
	return nil
}

// A literal whose work is that method, its result handed back on a channel.
func (a *agent) runReporting(ctx context.Context) (err error) {
	defer a.recoverFatal(&err)
	done := make(chan error, 1)
	go func() { done <- a.client.Run(ctx) }() // want `agent\.runReporting protects itself with a deferred recover \(line \d+\), but the goroutine started on line \d+ has no recover of its own`
	return <-done
}

// The same with the method that recovers by itself: no finding.
func (a *agent) runReportingSafe(ctx context.Context) (err error) {
	defer a.recoverFatal(&err)
	done := make(chan error, 1)
	go func() { done <- a.client.RunSafe(ctx) }()
	return <-done
}
