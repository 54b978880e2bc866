package gossip

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"

	"example.com/gossip/wire"
)

// DebugHandler serves the node's debug endpoints.
func (n *Node) DebugHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/members", n.handleMembers)
	mux.HandleFunc("/join", n.handleJoin)
	mux.HandleFunc("/probe", n.handleProbe)
	mux.HandleFunc("/sync", n.handleSync)
	mux.HandleFunc("/stats", n.handleStats)
	mux.HandleFunc("/leave", n.handleLeave)
	return mux
}

type memberJSON struct {
	ID          string    `json:"id"`
	Addr        string    `json:"addr"`
	State       string    `json:"state"`
	Incarnation uint64    `json:"incarnation"`
	LastSeen    time.Time `json:"last_seen"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		// The client went away; nothing useful to do.
		return
	}
}

func (n *Node) memberRows() []memberJSON {
	peers := n.members.Members()
	out := make([]memberJSON, 0, len(peers))
	for _, p := range peers {
		st, inc := p.Snapshot()
		out = append(out, memberJSON{ID: p.ID, Addr: p.Addr, State: st.String(), Incarnation: inc, LastSeen: p.LastSeen()})
	}
	return out
}

func (n *Node) handleMembers(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, n.memberRows())
}

// DumpMembers writes the member table to path as indented JSON.
func (n *Node) DumpMembers(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(n.memberRows())
}

// waitRetransmitDrained polls until the retransmit queue is empty.
func (n *Node) waitRetransmitDrained() {
	for len(n.retransmit) > 0 {
		time.Sleep(10 * time.Millisecond)
	}
}

// handleLeave makes the node announce its departure.
func (n *Node) handleLeave(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "use POST", http.StatusMethodNotAllowed)
		return
	}
	defer n.waitRetransmitDrained() // HAZ defer-blocking-call
	inc := n.incarnation.Add(1)
	n.queueRetransmit(&wire.Message{Kind: wire.KindDead, From: n.cfg.ID, Target: n.cfg.ID, Incarnation: inc, Seq: n.seq.Add(1)})
	writeJSON(w, http.StatusAccepted, map[string]uint64{"incarnation": inc})
}

// handleJoin queues an anti-entropy exchange with ?addr=.
func (n *Node) handleJoin(w http.ResponseWriter, r *http.Request) {
	addr := r.URL.Query().Get("addr")
	if addr == "" {
		http.Error(w, "missing addr", http.StatusBadRequest)
		return
	}
	defer func() { n.joins <- addr }() // HAZ defer-blocking-call
	w.WriteHeader(http.StatusAccepted)
	fmt.Fprintf(w, "join via %s queued\n", addr)
}

// handleProbe pings ?addr= and reports the round trip.
func (n *Node) handleProbe(w http.ResponseWriter, r *http.Request) {
	addr := r.URL.Query().Get("addr")
	type result struct {
		rtt time.Duration
		err error
	}
	done := make(chan result)
	go func() {
		rtt, err := n.tcp.Ping(r.Context(), addr)
		done <- result{rtt, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-done:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"addr": addr, "rtt_ms": res.rtt.Milliseconds()})
	case <-time.After(n.cfg.ProbeTimeout):
		http.Error(w, "probe timed out", http.StatusGatewayTimeout)
	}
}

// handleSync runs an exchange with ?addr= right away, bounded by a timeout,
// and queues a follow-up exchange on the join loop if there is room.
func (n *Node) handleSync(w http.ResponseWriter, r *http.Request) {
	addr := r.URL.Query().Get("addr")
	ctx, cancel := context.WithTimeout(r.Context(), n.cfg.SyncTimeout)
	defer cancel()
	got, err := n.syncer.Exchange(ctx, addr)
	defer func() {
		select {
		case n.joins <- addr:
		default:
		}
	}()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"repaired": got})
}

func (n *Node) handleStats(w http.ResponseWriter, r *http.Request) {
	st := n.syncer.Stats()
	writeJSON(w, http.StatusOK, map[string]any{
		"exchanges":   st.Exchanges,
		"failures":    st.Failures,
		"mean_ms":     st.MeanTime.Milliseconds(),
		"fanout_sent": n.fanoutSent.Load(),
		"sync_ok":     n.syncOK.Load(),
		"sync_failed": n.syncFailed.Load(),
	})
}
