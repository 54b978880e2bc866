package dnsclient

import (
	"context"
	"errors"
	"sync"
)

type answer struct {
	server string
	msg    *Message
	err    error
}

// QueryFirst sends the query to every server at once and returns the first
// successful answer.
func (c *Client) QueryFirst(ctx context.Context, name string, qtype uint16) (*Message, error) {
	results := make(chan answer, len(c.servers))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, srv := range c.servers {
		go func() {
			m, err := c.exchangeOnce(ctx, srv, name, qtype)
			results <- answer{server: srv, msg: m, err: err}
		}()
	}

	var errs []error
	for range c.servers {
		select {
		case a := <-results:
			if a.err == nil {
				return a.msg, nil
			}
			errs = append(errs, a.err)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, errors.Join(errs...)
}

// QueryQuorum returns an answer once quorum servers agree on it. The result
// channel is closed by a separate goroutine after every sender is done.
func (c *Client) QueryQuorum(ctx context.Context, name string, qtype uint16, quorum int) (*Message, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	results := make(chan answer, len(c.servers))
	var wg sync.WaitGroup
	for _, srv := range c.servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := c.exchangeOnce(ctx, srv, name, qtype)
			results <- answer{server: srv, msg: m, err: err} // ok: buffered for every server
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	votes := make(map[string]int)
	var errs []error
	for a := range results {
		if a.err != nil {
			errs = append(errs, a.err)
			continue
		}
		key := answerKey(a.msg)
		votes[key]++
		if votes[key] >= quorum {
			return a.msg, nil
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return nil, errors.New("dnsclient: no quorum")
}

func answerKey(m *Message) string {
	key := ""
	for _, a := range m.Answers {
		key += a + "\x00"
	}
	return key
}

// Result is one name's resolution in a batch.
type Result struct {
	Name  string
	Addrs []string
	Err   error
}

// ResolveBatch resolves names concurrently and streams the results. The
// channel is closed after the last result.
func (c *Client) ResolveBatch(ctx context.Context, names []string) <-chan Result {
	out := make(chan Result)
	go c.resolveBatch(ctx, names, out)
	return out
}

func (c *Client) resolveBatch(ctx context.Context, names []string, out chan<- Result) {
	defer close(out) // ok: wg.Wait below returns only after every sender is done
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			addrs, err := c.Resolve(ctx, name)
			select {
			case out <- Result{Name: name, Addrs: addrs, Err: err}:
			case <-ctx.Done():
			}
		}()
	}
	wg.Wait()
}
