package heartbeat

import (
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"time"
)

// ErrNoEcho is returned when the server did not echo a probe in time.
var ErrNoEcho = errors.New("heartbeat: no echo")

// Prober sends heartbeats to a matchmaker and measures the echo round trip.
// It is used by the hbprobe tool and by synthetic monitoring.
type Prober struct {
	server  *net.UDPAddr
	timeout time.Duration
}

// NewProber resolves the server address once.
func NewProber(server string, timeout time.Duration) (*Prober, error) {
	ua, err := net.ResolveUDPAddr("udp", server)
	if err != nil {
		return nil, fmt.Errorf("heartbeat: resolve %s: %w", server, err)
	}
	if timeout <= 0 {
		timeout = time.Second
	}
	return &Prober{server: ua, timeout: timeout}, nil
}

// exchange sends one heartbeat on conn and waits for its echo.
func (p *Prober) exchange(conn *net.UDPConn, playerID string, seq uint32) (time.Duration, error) {
	msg, err := encodeBeat(playerID, seq)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if _, err := conn.Write(msg); err != nil {
		return 0, err
	}
	if err := conn.SetReadDeadline(start.Add(p.timeout)); err != nil {
		return 0, err
	}
	buf := make([]byte, maxPacket)
	n, err := conn.Read(buf)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return 0, ErrNoEcho
		}
		return 0, err
	}
	if b, err := parseBeat(buf[:n]); err != nil || b.Seq != seq {
		return 0, fmt.Errorf("heartbeat: unexpected echo for seq %d", seq)
	}
	return time.Since(start), nil
}

// Ping sends one heartbeat and waits for the echo.
func (p *Prober) Ping(playerID string, seq uint32) (time.Duration, error) {
	conn, err := net.DialUDP("udp", nil, p.server)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("heartbeat: dial %s: %w", p.server, err)
	}
	return p.exchange(conn, playerID, seq)
}

// PingRetry pings up to attempts times, with a fresh socket per attempt,
// and returns the first round trip that succeeds.
func (p *Prober) PingRetry(playerID string, attempts int) (time.Duration, error) {
	lastErr := ErrNoEcho
	for i := 0; i < attempts; i++ {
		conn, err := net.DialUDP("udp", nil, p.server)
		if err != nil {
			lastErr = err
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		rtt, err := p.exchange(conn, playerID, uint32(i+1))
		if err == nil {
			return rtt, nil
		}
		lastErr = err
		time.Sleep(p.timeout / 4)
	}
	return 0, lastErr
}

// PingAll pings every player id in parallel and returns the round trips of
// the successful ones.
func (p *Prober) PingAll(ids []string) map[string]time.Duration {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string]time.Duration, len(ids))
	)
	for i, id := range ids {
		wg.Add(1)
		go func(seq uint32, id string) {
			defer wg.Done()
			rtt, err := p.Ping(id, seq)
			if err != nil {
				log.Printf("probe %s: %v", id, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			mu.Lock()
			out[id] = rtt
			mu.Unlock()
		}(uint32(i), id)
	}
	wg.Wait()
	return out
}

// Fastest pings every id concurrently and returns the first one to answer.
func (p *Prober) Fastest(ids []string) (string, time.Duration, error) {
	type res struct {
		id  string
		rtt time.Duration
		err error
	}
	results := make(chan res, len(ids))
	defer close(results) // HAZ defer-close-chan-with-sender
	for i, id := range ids {
		go func(seq uint32, id string) {
			rtt, err := p.Ping(id, seq)
			results <- res{id: id, rtt: rtt, err: err}
		}(uint32(i+1), id)
	}
	for range ids {
		r := <-results
		if r.err == nil {
			return r.id, r.rtt, nil
		}
	}
	return "", 0, ErrNoEcho
}

// PingSeries sends count sequential heartbeats for one player and returns
// how many were lost. The socket is dialled once and closed after the error
// check.
func (p *Prober) PingSeries(playerID string, count int, gap time.Duration) (lost int, err error) {
	conn, err := net.DialUDP("udp", nil, p.server)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	for seq := 1; seq <= count; seq++ {
		if _, err := p.exchange(conn, playerID, uint32(seq)); err != nil {
			if !errors.Is(err, ErrNoEcho) {
				return lost, err
			}
			lost++
		}
		time.Sleep(gap)
	}
	return lost, nil
}

// Echo answers every heartbeat it receives on conn with the same bytes. It
// is what the matchmaker runs next to the Listener for probers.
func Echo(conn *net.UDPConn) error {
	buf := make([]byte, maxPacket)
	for {
		n, addr, err := conn.ReadFromUDP(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		if _, err := parseBeat(buf[:n]); err != nil {
			continue
		}
		if _, err := conn.WriteToUDP(buf[:n], addr); err != nil {
			log.Printf("heartbeat echo to %s: %v", addr, err)
		}
	}
}
