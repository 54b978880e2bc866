// Package transport carries raft RPCs and catch-up streams between nodes over HTTP.
package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	"example.com/kvreplication/internal/raftpb"
)

// HTTPTransport implements raft.Transport with JSON over HTTP.
type HTTPTransport struct {
	client *http.Client
	logger *log.Logger
	retry  time.Duration
	pool   *ConnPool

	mu    sync.RWMutex
	peers map[string]string // id -> host:port
}

// NewHTTPTransport uses client for RPCs (its Timeout bounds every call).
func NewHTTPTransport(client *http.Client, logger *log.Logger) *HTTPTransport {
	if client == nil {
		client = &http.Client{Timeout: 2 * time.Second}
	}
	return &HTTPTransport{
		client: client,
		logger: logger,
		retry:  200 * time.Millisecond,
		pool:   NewConnPool(4, 2*time.Second),
		peers:  make(map[string]string),
	}
}

// SetPeer records the address of a peer.
func (t *HTTPTransport) SetPeer(id, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.peers[id] = addr
}

// RemovePeer forgets a peer.
func (t *HTTPTransport) RemovePeer(id string) {
	t.mu.Lock()
	delete(t.peers, id)
	t.mu.Unlock()
}

func (t *HTTPTransport) addr(id string) (string, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	a, ok := t.peers[id]
	if !ok {
		return "", fmt.Errorf("transport: unknown peer %q", id)
	}
	return a, nil
}

// AppendEntries implements raft.Transport.
func (t *HTTPTransport) AppendEntries(ctx context.Context, peer string, req *raftpb.AppendRequest) (*raftpb.AppendResponse, error) {
	var resp raftpb.AppendResponse
	if err := t.call(ctx, peer, "/raft/append", req, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// RequestVote implements raft.Transport.
func (t *HTTPTransport) RequestVote(ctx context.Context, peer string, req *raftpb.VoteRequest) (*raftpb.VoteResponse, error) {
	var resp raftpb.VoteResponse
	if err := t.call(ctx, peer, "/raft/vote", req, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

func (t *HTTPTransport) call(ctx context.Context, peer, path string, in, out any) error {
	addr, err := t.addr(peer)
	if err != nil {
		return err
	}
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := t.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("transport: %s%s: %s: %s", addr, path, resp.Status, bytes.TrimSpace(msg))
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// Probe reports whether the peer's health endpoint answers 200.
func (t *HTTPTransport) Probe(addr string) bool {
	start := time.Now()
	resp, _ := t.client.Get("http://" + addr + "/raft/health")
	t.logger.Printf("transport: probe %s answered in %s", addr, time.Since(start))
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp.StatusCode == http.StatusOK
}

// ProbeChecked is Probe with the error handled before the body is touched.
func (t *HTTPTransport) ProbeChecked(ctx context.Context, addr string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/raft/health", nil)
	if err != nil {
		return err
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("transport: %s unhealthy: %s", addr, resp.Status)
	}
	return nil
}

// CheckPorts dials every address once and reports which are reachable.
func (t *HTTPTransport) CheckPorts(addrs []string, timeout time.Duration) map[string]error {
	res := make(map[string]error, len(addrs))
	for _, a := range addrs {
		conn, err := net.DialTimeout("tcp", a, timeout)
		if err != nil {
			res[a] = err
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		res[a] = conn.SetDeadline(time.Now().Add(timeout))
	}
	return res
}

// CheckPortsScoped closes each connection before dialing the next.
func (t *HTTPTransport) CheckPortsScoped(addrs []string, timeout time.Duration) map[string]error {
	res := make(map[string]error, len(addrs))
	for _, a := range addrs {
		res[a] = func() error {
			conn, err := net.DialTimeout("tcp", a, timeout)
			if err != nil {
				return err
			}
			defer conn.Close()
			return conn.SetDeadline(time.Now().Add(timeout))
		}()
	}
	return res
}

// announceLeave tells the leader that this node is going away.
func (t *HTTPTransport) announceLeave(leaderAddr, selfID string) {
	resp, err := http.Post("http://"+leaderAddr+"/raft/leave?id="+selfID, "text/plain", nil)
	if err != nil {
		t.logger.Printf("transport: leave announcement failed: %v", err)
		return
	}
	resp.Body.Close()
}

// Leave drops pooled connections and peers, announcing the departure on the way out.
func (t *HTTPTransport) Leave(leaderAddr, selfID string) {
	defer t.announceLeave(leaderAddr, selfID) // HAZ defer-blocking-call
	t.pool.CloseAll()
	t.mu.Lock()
	for id := range t.peers {
		delete(t.peers, id)
	}
	t.mu.Unlock()
}

// LeaveWithTimeout announces the departure with a bounded request.
func (t *HTTPTransport) LeaveWithTimeout(leaderAddr, selfID string) {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+leaderAddr+"/raft/leave?id="+selfID, nil)
		if err != nil {
			return
		}
		if resp, err := t.client.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	t.pool.CloseAll()
}

// WarmPool opens one pooled connection per address in parallel.
func (t *HTTPTransport) WarmPool(addrs []string) int {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(addrs); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			pc := t.pool.Get(addrs[i])
			if _, err := pc.Conn(); err != nil {
				t.logger.Printf("transport: warm %s: %v", addrs[i], err)
			}
			pc.Release()
		}()
		t.logger.Printf("transport: warming %d/%d", i+1, len(addrs))
	}
	wg.Wait()
	return i
}

// WarmPoolIndexed is WarmPool with a per-iteration loop variable.
func (t *HTTPTransport) WarmPoolIndexed(addrs []string) {
	var wg sync.WaitGroup
	for i := 0; i < len(addrs); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pc := t.pool.Get(addrs[i])
			defer pc.Release()
			if _, err := pc.Conn(); err != nil {
				t.logger.Printf("transport: warm %s: %v", addrs[i], err)
			}
		}()
	}
	wg.Wait()
}
