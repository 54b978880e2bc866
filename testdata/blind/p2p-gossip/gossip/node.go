// Package gossip ties membership, failure detection, anti-entropy and the
// transports together into a gossiping cluster node.
package gossip

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"example.com/gossip/antientropy"
	"example.com/gossip/detector"
	"example.com/gossip/member"
	"example.com/gossip/pool"
	"example.com/gossip/transport"
	"example.com/gossip/wire"
)

// Config configures a Node.
type Config struct {
	ID             string
	BindAddr       string
	AdvertiseAddr  string
	GossipInterval time.Duration
	ProbeInterval  time.Duration
	ProbeTimeout   time.Duration
	SyncInterval   time.Duration
	SyncTimeout    time.Duration
	SuspectTimeout time.Duration
	Fanout         int
	PushWorkers    int
	Trace          bool
	Logger         *log.Logger
}

// DefaultConfig returns settings suitable for a LAN cluster.
func DefaultConfig(id, bind string) Config {
	return Config{
		ID:             id,
		BindAddr:       bind,
		AdvertiseAddr:  bind,
		GossipInterval: 200 * time.Millisecond,
		ProbeInterval:  time.Second,
		ProbeTimeout:   500 * time.Millisecond,
		SyncInterval:   30 * time.Second,
		SyncTimeout:    10 * time.Second,
		SuspectTimeout: 5 * time.Second,
		Fanout:         3,
		PushWorkers:    4,
	}
}

// Node is one member of a gossip cluster.
type Node struct {
	cfg     Config
	logger  *log.Logger
	members *member.List
	udp     *transport.UDP
	tcp     *transport.TCP
	det     *detector.Detector
	store   *antientropy.Store
	syncer  *antientropy.Syncer
	pool    *pool.Pool

	hmu      sync.RWMutex
	handlers map[wire.Kind]HandlerFunc

	leaseMu sync.Mutex
	leases  map[string]func()

	seq         atomic.Uint64
	incarnation atomic.Uint64
	fanoutSent  atomic.Int64
	probeIdx    atomic.Uint64
	syncOK      atomic.Int64
	syncFailed  atomic.Int64

	ctx         context.Context
	cancel      context.CancelFunc
	done        chan struct{}
	wg          sync.WaitGroup
	stopOnce    sync.Once
	probeTicker *time.Ticker

	joins      chan string
	retransmit chan *wire.Message
}

// New binds the transports and builds a node. Call Start to begin gossiping.
func New(cfg Config) (n *Node, err error) {
	if cfg.ID == "" {
		return nil, errors.New("gossip: empty node id")
	}
	logger := cfg.Logger
	if logger == nil {
		logger = log.New(os.Stderr, "", log.LstdFlags)
	}
	udp, err := transport.ListenUDP(cfg.BindAddr, logger)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			udp.Close()
		}
	}()
	tcp, err := transport.ListenTCP(cfg.BindAddr, cfg.ProbeTimeout)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	store := antientropy.NewStore()
	n = &Node{
		cfg:         cfg,
		logger:      logger,
		members:     member.NewList(cfg.ID),
		udp:         udp,
		tcp:         tcp,
		store:       store,
		syncer:      antientropy.NewSyncer(store, cfg.ID, cfg.SyncTimeout, logger.Printf),
		handlers:    make(map[wire.Kind]HandlerFunc),
		leases:      make(map[string]func()),
		ctx:         ctx,
		cancel:      cancel,
		done:        make(chan struct{}),
		probeTicker: time.NewTicker(cfg.ProbeInterval),
		joins:       make(chan string, 16),
		retransmit:  make(chan *wire.Message, 64),
	}
	n.det = detector.New(cfg.SuspectTimeout, n.onPeerDead)
	n.pool = pool.New(ctx, cfg.PushWorkers, 4*cfg.PushWorkers, n.onPushError, logger)
	n.registerDefaults()
	return n, nil
}

// ID returns the node id.
func (n *Node) ID() string { return n.cfg.ID }

// Members returns the known peers.
func (n *Node) Members() []*member.Peer { return n.members.Members() }

// Start launches the background loops.
func (n *Node) Start() {
	n.wg.Add(5)
	go n.receiveLoop()
	go n.acceptLoop()
	go n.heartbeatLoop()
	go n.joinLoop()
	go n.retransmitLoop()
	go n.probeLoop(n.probeTicker.C)
	go n.syncLoop()
}

// Stop shuts the node down and waits for its loops to exit.
func (n *Node) Stop() error {
	var err error
	n.stopOnce.Do(func() {
		n.cancel()
		close(n.done)
		n.probeTicker.Stop()
		err = errors.Join(n.udp.Close(), n.tcp.Close())
		n.wg.Wait()
		n.pool.Close()
		n.det.Stop()
	})
	return err
}

func (n *Node) receiveLoop() {
	defer n.wg.Done()
	handled := n.udp.Serve(n.onPacket)
	n.logger.Printf("gossip: receive loop done after %d packets", handled)
}

// onPacket decodes a datagram and routes it. The hot-path kinds are handled
// inline; the rest go through the handler table.
func (n *Node) onPacket(pkt transport.Packet) {
	var m wire.Message
	if err := m.UnmarshalBinary(pkt.Buf); err != nil {
		n.logger.Printf("gossip: bad packet from %v: %v", pkt.From, err)
		return
	}
	if p, ok := n.members.Get(m.From); ok {
		p.TryTouch(pkt.At)
	}
	n.det.Observe(m.From)
	from := pkt.From.String()
	var err error
	switch m.Kind {
	case wire.KindPing:
		err = n.handlePing(n.ctx, from, &m)
	case wire.KindSuspect:
		err = n.handleSuspect(n.ctx, from, &m)
	case wire.KindAlive:
		err = n.handleAlive(n.ctx, from, &m)
	default:
		err = n.dispatch(n.ctx, from, &m)
	}
	if err != nil {
		n.logger.Printf("gossip: %v from %s: %v", m.Kind, from, err)
	}
}

func (n *Node) acceptLoop() {
	defer n.wg.Done()
	for conn := range n.tcp.Streams() {
		n.wg.Add(1)
		go n.serveStream(conn)
	}
}

func (n *Node) serveStream(conn net.Conn) {
	defer n.wg.Done()
	n.tcp.ServeConn(conn, n.answer)
}

// answer handles one request frame received on a stream.
func (n *Node) answer(m *wire.Message) (*wire.Message, error) {
	switch m.Kind {
	case wire.KindPing:
		return &wire.Message{Kind: wire.KindAck, Seq: m.Seq, From: n.cfg.ID}, nil
	case wire.KindUser, wire.KindPushPull, wire.KindDead:
		return nil, n.dispatch(n.ctx, m.From, m)
	}
	return nil, fmt.Errorf("gossip: unexpected %v on a stream", m.Kind)
}

// joinLoop runs the anti-entropy exchanges requested through n.joins, one at
// a time.
func (n *Node) joinLoop() {
	defer n.wg.Done()
	for {
		select {
		case <-n.ctx.Done():
			return
		case addr := <-n.joins:
			func() {
				ctx, cancel := context.WithTimeout(n.ctx, n.cfg.SyncTimeout)
				defer cancel()
				if got, err := n.syncer.Exchange(ctx, addr); err != nil {
					n.logger.Printf("gossip: join via %s: %v", addr, err)
				} else {
					n.logger.Printf("gossip: joined via %s, %d new entries", addr, got)
				}
			}()
		}
	}
}

func (n *Node) onPushError(err error) {
	n.logger.Printf("gossip: push failed: %v", err)
}

func (n *Node) onPeerDead(id string) {
	p, ok := n.members.Get(id)
	if !ok {
		return
	}
	_, inc := p.Snapshot()
	if changed, err := n.members.MarkState(id, member.StateDead, inc); err == nil && changed {
		n.logger.Printf("gossip: declared %s dead", id)
		n.queueRetransmit(&wire.Message{Kind: wire.KindDead, From: n.cfg.ID, Target: id, Incarnation: inc, Seq: n.seq.Add(1)})
	}
}
