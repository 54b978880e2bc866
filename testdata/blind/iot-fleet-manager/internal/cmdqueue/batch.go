package cmdqueue

import (
	"context"
	"errors"
	"sync"
	"time"

	"example.com/fleet/internal/protocol"
)

// SubmitAll sends the same command to every device in parallel and waits
// for all of them.
func (q *Queue) SubmitAll(ctx context.Context, deviceIDs []string, name string, args []byte) map[string]Result {
	type item struct {
		id  string
		res Result
	}
	results := make(chan item, len(deviceIDs))
	var wg sync.WaitGroup
	for _, id := range deviceIDs {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			res, err := q.Submit(ctx, id, name, args)
			if err != nil && res.Err == nil {
				res.Err = err
			}
			results <- item{id: id, res: res}
		}(id)
	}
	wg.Wait()
	close(results)
	out := make(map[string]Result, len(deviceIDs))
	for it := range results {
		out[it.id] = it.res
	}
	return out
}

// FirstAck sends the command to every candidate and returns the first
// device that acknowledges it successfully. It is used to elect the
// gateway of a mesh of devices.
func (q *Queue) FirstAck(ctx context.Context, candidates []string, name string) (string, error) {
	winner := make(chan string)
	for _, id := range candidates {
		go func(id string) {
			res, err := q.Submit(ctx, id, name, nil)
			if err == nil && res.Status == protocol.AckOK {
				winner <- id // HAZ goroutine-blocked-send
			}
		}(id)
	}
	select {
	case id := <-winner:
		return id, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// AnyAck is FirstAck done safely: the channel has room for every
// candidate, so the losers never block.
func (q *Queue) AnyAck(ctx context.Context, candidates []string, name string) (string, error) {
	winner := make(chan string, len(candidates))
	for _, id := range candidates {
		go func(id string) {
			if res, err := q.Submit(ctx, id, name, nil); err == nil && res.Status == protocol.AckOK {
				winner <- id
			}
		}(id)
	}
	select {
	case id := <-winner:
		return id, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// SubmitWithRetry retries a command that timed out, doubling the pause
// between attempts, and journals the final outcome.
func (q *Queue) SubmitWithRetry(ctx context.Context, deviceID, name string, args []byte, attempts int) (res Result, err error) {
	defer q.journal.Record(deviceID, name, err) // HAZ defer-eager-evaluation
	backoff := 200 * time.Millisecond
	for i := 0; i < attempts; i++ {
		res, err = q.Submit(ctx, deviceID, name, args)
		if err == nil || !errors.Is(err, ErrTimeout) {
			return res, err
		}
		select {
		case <-time.After(backoff):
			backoff *= 2
		case <-ctx.Done():
			return res, ctx.Err()
		}
	}
	return res, err
}

// SubmitJournaled submits a command once and journals its outcome.
func (q *Queue) SubmitJournaled(ctx context.Context, deviceID, name string, args []byte) (res Result, err error) {
	defer func() { q.journal.Record(deviceID, name, err) }()
	return q.Submit(ctx, deviceID, name, args)
}
