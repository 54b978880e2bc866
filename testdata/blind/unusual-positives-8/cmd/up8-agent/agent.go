package main

import (
	"context"
	"log"
	"time"

	"example.com/up8/internal/fetch"
	"example.com/up8/internal/guard"
)

// agent checks the mirrors on every tick.
type agent struct {
	client *fetch.Client
	guard  *guard.Guard
	logger *log.Logger
	failed map[string]int
}

func newAgent(mirrors []string, logger *log.Logger) *agent {
	return &agent{
		client: fetch.New(mirrors, logger),
		guard:  guard.New("up8-agent", logger),
		logger: logger,
		failed: make(map[string]int),
	}
}

// tick runs one round of checks. A panic in a check is logged and the agent
// carries on with the next tick.
func (a *agent) tick() {
	defer a.guard.Catch()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	errs := a.client.Health(ctx)
	for i, err := range errs {
		m := a.client.Mirrors[i]
		if err != nil {
			a.failed[m]++
			a.logger.Printf("up8-agent: mirror %s unhealthy (%d in a row): %v", m, a.failed[m], err)
			continue
		}
		delete(a.failed, m)
	}
}
