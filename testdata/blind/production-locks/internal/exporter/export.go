package exporter

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

type exportEvent struct {
	sent     int
	err      error
	progress bool
}

func (e *Exporter) pushBatch(ctx context.Context, batch []Sample) error {
	body, err := json.Marshal(batch)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.remoteURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("remote write: %s", resp.Status)
	}
	return nil
}

func (e *Exporter) reportProgress(ctx context.Context, events chan<- exportEvent) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			events <- exportEvent{progress: true}
		}
	}
}

// Export pushes every batch to remote storage, reporting progress to the
// status page while it runs. ctx is the agent's lifetime context.
func (e *Exporter) Export(ctx context.Context, batches [][]Sample, status func(sent int, err error, tick bool)) {
	events := make(chan exportEvent, 16)
	defer close(events) // HAZ defer-close-chan-with-sender
	go func() {
		for ev := range events {
			status(ev.sent, ev.err, ev.progress)
		}
	}()
	go e.reportProgress(ctx, events)
	var wg sync.WaitGroup
	for _, batch := range batches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := e.pushBatch(ctx, batch)
			events <- exportEvent{sent: len(batch), err: err}
		}()
	}
	wg.Wait()
}

// ExportScoped is Export with the progress reporter tied to the call: it is
// stopped and waited for before the channel is closed.
func (e *Exporter) ExportScoped(ctx context.Context, batches [][]Sample, status func(sent int, err error, tick bool)) {
	events := make(chan exportEvent, 16)
	defer close(events) // ok: every sender has returned before this runs
	go func() {
		for ev := range events {
			status(ev.sent, ev.err, ev.progress)
		}
	}()
	pctx, stopProgress := context.WithCancel(ctx)
	var reporter sync.WaitGroup
	reporter.Add(1)
	go func() {
		defer reporter.Done()
		e.reportProgressUntil(pctx, events)
	}()
	var wg sync.WaitGroup
	for _, batch := range batches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := e.pushBatch(ctx, batch)
			events <- exportEvent{sent: len(batch), err: err}
		}()
	}
	wg.Wait()
	stopProgress()
	reporter.Wait()
}

func (e *Exporter) reportProgressUntil(ctx context.Context, events chan<- exportEvent) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			select {
			case events <- exportEvent{progress: true}:
			case <-ctx.Done():
				return
			}
		}
	}
}
