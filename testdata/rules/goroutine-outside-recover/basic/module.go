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
