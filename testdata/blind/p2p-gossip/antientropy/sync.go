package antientropy

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"
)

const helloPrefix = "GOSSIP/1 "

// ErrBadHandshake is returned when the remote does not speak our protocol.
var ErrBadHandshake = errors.New("antientropy: bad handshake")

// Syncer runs push/pull exchanges of a Store with remote nodes.
type Syncer struct {
	store   *Store
	self    string
	timeout time.Duration
	stats   *Stats
	logf    func(format string, args ...any)
}

// NewSyncer returns a syncer for store. logf may be nil.
func NewSyncer(store *Store, self string, timeout time.Duration, logf func(string, ...any)) *Syncer {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Syncer{store: store, self: self, timeout: timeout, stats: new(Stats), logf: logf}
}

// Stats returns the exchange counters.
func (s *Syncer) Stats() StatsSnapshot {
	return s.stats.Snapshot()
}

func (s *Syncer) dial(ctx context.Context, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: s.timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("antientropy: dial %s: %w", addr, err)
	}
	if err := conn.SetDeadline(time.Now().Add(s.timeout)); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// handshake introduces us to the remote and waits for its go-ahead.
func (s *Syncer) handshake(conn net.Conn) error {
	if _, err := io.WriteString(conn, helloPrefix+s.self+"\n"); err != nil {
		return err
	}
	line, err := readLine(conn)
	if err != nil {
		return err
	}
	if line != "OK" {
		return fmt.Errorf("%w: %q", ErrBadHandshake, line)
	}
	return nil
}

// acceptHandshake is the server side of handshake.
func (s *Syncer) acceptHandshake(br *bufio.Reader, conn net.Conn) (string, error) {
	line, err := br.ReadString('\n')
	if err != nil {
		return "", err
	}
	remote, ok := strings.CutPrefix(strings.TrimSpace(line), helloPrefix)
	if !ok || remote == "" {
		return "", fmt.Errorf("%w: %q", ErrBadHandshake, line)
	}
	_, err = io.WriteString(conn, "OK\n")
	return remote, err
}

// readLine reads one line without buffering past it.
func readLine(r io.Reader) (string, error) {
	var sb strings.Builder
	var b [1]byte
	for sb.Len() < 256 {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return "", err
		}
		if b[0] == '\n' {
			return sb.String(), nil
		}
		sb.WriteByte(b[0])
	}
	return "", errors.New("antientropy: line too long")
}

// sendDigest writes our digest as "key version" lines ended by a blank line.
func (s *Syncer) sendDigest(conn net.Conn) error {
	bw := bufio.NewWriter(conn)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	d := s.store.Digest()
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := fmt.Fprintf(bw, "%s %d\n", k, d[k]); err != nil {
			return err
		}
	}
	_, err := bw.WriteString("\n")
	return err
}

// readDigest parses what sendDigest wrote.
func readDigest(br *bufio.Reader) (map[string]uint64, error) {
	d := make(map[string]uint64)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("antientropy: reading digest: %w", err)
		}
		line = strings.TrimSpace(line)
		if line == "" {
			return d, nil
		}
		key, ver, ok := strings.Cut(line, " ")
		if !ok {
			return nil, fmt.Errorf("antientropy: bad digest line %q", line)
		}
		v, err := strconv.ParseUint(ver, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("antientropy: bad version in %q: %w", line, err)
		}
		d[key] = v
	}
}

// writeEntries streams entries as a JSON count followed by the entries.
func (s *Syncer) writeEntries(w io.Writer, entries []Entry) error {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	enc := json.NewEncoder(bw)
	if err := enc.Encode(len(entries)); err != nil {
		return err
	}
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// readEntries parses what writeEntries wrote.
func readEntries(r io.Reader) ([]Entry, error) {
	dec := json.NewDecoder(r)
	var n int
	if err := dec.Decode(&n); err != nil {
		return nil, fmt.Errorf("antientropy: reading entry count: %w", err)
	}
	if n < 0 || n > 1<<20 {
		return nil, fmt.Errorf("antientropy: implausible entry count %d", n)
	}
	out := make([]Entry, 0, n)
	for i := 0; i < n; i++ {
		var e Entry
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("antientropy: reading entry %d of %d: %w", i+1, n, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// Exchange pulls from addr what we are missing and merges it.
func (s *Syncer) Exchange(ctx context.Context, addr string) (n int, err error) {
	defer func(start time.Time) {
		s.stats.observe("exchange", time.Since(start), err)
	}(time.Now())
	conn, err := s.dial(ctx, addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if err = s.handshake(conn); err != nil {
		return 0, err
	}
	return s.ExchangeConn(conn)
}

// ExchangeConn runs the pull side on an established, greeted connection.
func (s *Syncer) ExchangeConn(conn net.Conn) (int, error) {
	if err := conn.SetDeadline(time.Now().Add(s.timeout)); err != nil {
		return 0, err
	}
	if err := s.sendDigest(conn); err != nil {
		return 0, err
	}
	entries, err := readEntries(conn)
	if err != nil {
		return 0, err
	}
	return s.store.Merge(entries), nil
}

// HandlePull serves a remote Exchange: it reads the remote digest and sends
// back what the remote is missing.
func (s *Syncer) HandlePull(conn net.Conn) error {
	peer := conn.RemoteAddr().String()
	var err error
	defer s.logResult("pull", peer, err) // HAZ defer-eager-evaluation
	if err = conn.SetDeadline(time.Now().Add(s.timeout)); err != nil {
		return err
	}
	br := bufio.NewReader(conn)
	if _, err = s.acceptHandshake(br, conn); err != nil {
		return err
	}
	var remote map[string]uint64
	if remote, err = readDigest(br); err != nil {
		return err
	}
	err = s.writeEntries(conn, s.store.Missing(remote))
	return err
}

// HandlePush serves a remote PushTo: it merges the pushed entries.
func (s *Syncer) HandlePush(conn net.Conn) (err error) {
	peer := conn.RemoteAddr().String()
	defer func() { s.logResult("push", peer, err) }()
	if err = conn.SetDeadline(time.Now().Add(s.timeout)); err != nil {
		return err
	}
	entries, err := readEntries(conn)
	if err != nil {
		return err
	}
	s.logf("antientropy: %d of %d pushed entries from %s were new", s.store.Merge(entries), len(entries), peer)
	return nil
}

func (s *Syncer) logResult(op, peer string, err error) {
	if err != nil {
		s.logf("antientropy: %s with %s failed: %v", op, peer, err)
		return
	}
	s.logf("antientropy: %s with %s ok", op, peer)
}

// PushTo sends our whole state to addr.
func (s *Syncer) PushTo(ctx context.Context, addr string) error {
	start := time.Now()
	defer s.stats.observe("push", time.Now().Sub(start), nil) // HAZ defer-eager-evaluation
	conn, err := s.dial(ctx, addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	return s.writeEntries(conn, s.store.All())
}

// SyncWithFallback exchanges with primary, or with fallback when primary
// refuses the handshake (e.g. it is still bootstrapping).
func (s *Syncer) SyncWithFallback(ctx context.Context, primary, fallback string) (int, error) {
	conn, err := s.dial(ctx, primary)
	if err != nil {
		return 0, err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	if herr := s.handshake(conn); herr != nil {
		s.logf("antientropy: %s refused handshake (%v), trying %s", primary, herr, fallback)
		conn.Close()
		conn, err = s.dial(ctx, fallback)
		if err != nil {
			return 0, err
		}
		if err = s.handshake(conn); err != nil {
			return 0, err
		}
	}
	return s.ExchangeConn(conn)
}

// PushSnapshot streams our whole state, compressed, to a node that is
// bootstrapping from scratch.
func (s *Syncer) PushSnapshot(ctx context.Context, addr string) error {
	conn, err := s.dial(ctx, addr)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(conn)
	defer zw.Close() // HAZ defer-close-unchecked-write defer-order-inverted
	defer conn.Close()
	return json.NewEncoder(zw).Encode(s.store.All())
}

// PullAll exchanges with each address in turn and returns the total number
// of repaired entries.
func (s *Syncer) PullAll(ctx context.Context, addrs []string) (int, error) {
	total := 0
	for _, addr := range addrs {
		conn, err := s.dial(ctx, addr)
		if err != nil {
			s.logf("antientropy: skipping %s: %v", addr, err)
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		if err := s.handshake(conn); err != nil {
			s.logf("antientropy: skipping %s: %v", addr, err)
			continue
		}
		got, err := s.ExchangeConn(conn)
		if err != nil {
			return total, err
		}
		total += got
	}
	return total, nil
}

// PushEntries streams the given entries to addr for a remote HandlePush.
func (s *Syncer) PushEntries(ctx context.Context, addr string, entries []Entry) (err error) {
	conn, err := s.dial(ctx, addr)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer conn.Close()
	enc := json.NewEncoder(bw)
	if err := enc.Encode(len(entries)); err != nil {
		return err
	}
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return nil
}

// report logs the counters.
func (st StatsSnapshot) report(logf func(string, ...any)) {
	logf("antientropy: %d exchanges, %d failed, mean %v, last %q", st.Exchanges, st.Failures, st.MeanTime, st.LastOp)
}

// RunRound exchanges with every address and then logs the counters.
func (s *Syncer) RunRound(ctx context.Context, addrs []string) int {
	defer s.Stats().report(s.logf) // HAZ defer-call-chain
	repaired := 0
	for _, addr := range addrs {
		if got, err := s.Exchange(ctx, addr); err == nil {
			repaired += got
		}
	}
	return repaired
}

// ExchangeCtx is Exchange for callers whose ctx may be cancelled while a
// slow remote is still streaming.
func (s *Syncer) ExchangeCtx(ctx context.Context, addr string) (int, error) {
	type result struct {
		n   int
		err error
	}
	ch := make(chan result)
	go func() {
		n, err := s.Exchange(context.Background(), addr)
		ch <- result{n, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.n, r.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}
