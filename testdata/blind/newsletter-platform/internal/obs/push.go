package obs

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"sort"
	"time"
)

// PushGraphite writes the current snapshot to a Graphite/Carbon plaintext
// listener at addr.
func (m *Metrics) PushGraphite(addr, prefix string) error {
	conn, err := net.DialTimeout("tcp", addr, 3*time.Second)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer conn.Close()
	now := time.Now().Unix()
	for name, st := range m.Snapshot() {
		if _, err := fmt.Fprintf(bw, "%s.%s.count %d %d\n", prefix, name, st.Count, now); err != nil {
			return err
		}
		if _, err := fmt.Fprintf(bw, "%s.%s.mean_ms %d %d\n", prefix, name, st.Mean().Milliseconds(), now); err != nil {
			return err
		}
	}
	return nil
}

// PushGraphiteSorted is PushGraphite with stable output. The buffered
// writer is flushed and checked before the deferred Close runs.
func (m *Metrics) PushGraphiteSorted(addr, prefix string) error {
	conn, err := net.DialTimeout("tcp", addr, 3*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetWriteDeadline(time.Now().Add(5 * time.Second)); err != nil {
		return err
	}
	snap := m.Snapshot()
	names := make([]string, 0, len(snap))
	for name := range snap {
		names = append(names, name)
	}
	sort.Strings(names)
	bw := bufio.NewWriter(conn)
	now := time.Now().Unix()
	for _, name := range names {
		if _, err := fmt.Fprintf(bw, "%s.%s.count %d %d\n", prefix, name, snap[name].Count, now); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// PushEvery pushes the registry to addr forever; it is started with go from
// the daemons' main.
func (m *Metrics) PushEvery(addr, prefix string, every time.Duration) {
	for true {
		conn, err := net.DialTimeout("tcp", addr, 3*time.Second)
		if err != nil {
			log.Printf("obs: push to %s: %v", addr, err)
			time.Sleep(every)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		now := time.Now().Unix()
		for name, st := range m.Snapshot() {
			fmt.Fprintf(conn, "%s.%s.count %d %d\n", prefix, name, st.Count, now)
		}
		time.Sleep(every)
	}
}
