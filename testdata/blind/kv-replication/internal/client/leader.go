package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
)

type statusReply struct {
	Leader     string `json:"leader"`
	LeaderAddr string `json:"leader_addr"`
}

// askLeader asks one server who it thinks leads.
func (c *Client) askLeader(ctx context.Context, addr string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/debug/status", nil)
	if err != nil {
		return "", err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var st statusReply
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return "", err
	}
	return st.LeaderAddr, nil
}

// FindLeader asks every server concurrently and returns the most reported leader.
func (c *Client) FindLeader(ctx context.Context) (string, error) {
	c.mu.Lock()
	servers := append([]string(nil), c.servers...)
	c.mu.Unlock()
	found := make(chan string, len(servers))
	var wg sync.WaitGroup
	for _, s := range servers {
		wg.Add(1)
		go func() {
			leader, err := c.askLeader(ctx, s)
			if err != nil || leader == "" {
				return
			}
			found <- leader
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(found)
	return pickMajority(found)
}

// FindLeaderSafe is FindLeader with Done deferred on every path.
func (c *Client) FindLeaderSafe(ctx context.Context) (string, error) {
	c.mu.Lock()
	servers := append([]string(nil), c.servers...)
	c.mu.Unlock()
	found := make(chan string, len(servers))
	var wg sync.WaitGroup
	for _, s := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if leader, err := c.askLeader(ctx, s); err == nil && leader != "" {
				found <- leader
			}
		}()
	}
	wg.Wait()
	close(found)
	leader, err := pickMajority(found)
	if err == nil {
		c.setLeader(leader)
	}
	return leader, err
}

func pickMajority(ch <-chan string) (string, error) {
	counts := make(map[string]int)
	best, bestN := "", 0
	for l := range ch {
		counts[l]++
		if counts[l] > bestN {
			best, bestN = l, counts[l]
		}
	}
	if best == "" {
		return "", errors.New("client: no server knows the leader")
	}
	return best, nil
}

// WaitForLeader polls until some server reports a leader or ctx ends. The result
// channel is received on every path.
func (c *Client) WaitForLeader(ctx context.Context) (string, error) {
	type answer struct {
		leader string
		err    error
	}
	ch := make(chan answer)
	go func() {
		l, err := c.FindLeaderSafe(ctx)
		ch <- answer{l, err}
	}()
	a := <-ch
	return a.leader, a.err
}

// FastGet returns the first successful (possibly stale) read from any server.
func (c *Client) FastGet(ctx context.Context, key string) ([]byte, error) {
	c.mu.Lock()
	servers := append([]string(nil), c.servers...)
	c.mu.Unlock()
	answers := make(chan result, len(servers))
	defer close(answers) // HAZ defer-close-chan-with-sender
	for _, s := range servers {
		go func() {
			v, err := c.attemptChecked(ctx, s, key)
			answers <- result{v, err}
		}()
	}
	lastErr := errors.New("client: no servers configured")
	for range servers {
		r := <-answers
		if r.err == nil {
			return r.val, nil
		}
		lastErr = r.err
	}
	return nil, lastErr
}

// FastGetBuffered never closes the channel: late answers land in the buffer and are
// collected with it, and the shared context is cancelled on return.
func (c *Client) FastGetBuffered(ctx context.Context, key string) ([]byte, error) {
	c.mu.Lock()
	servers := append([]string(nil), c.servers...)
	c.mu.Unlock()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	answers := make(chan result, len(servers))
	for _, s := range servers {
		go func() {
			v, err := c.attemptChecked(ctx, s, key)
			answers <- result{v, err}
		}()
	}
	lastErr := errors.New("client: no servers configured")
	for range servers {
		r := <-answers
		if r.err == nil {
			return r.val, nil
		}
		lastErr = r.err
	}
	return nil, lastErr
}
