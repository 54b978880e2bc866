package raft

import (
	"context"
	"fmt"

	"example.com/kvreplication/internal/raftpb"
)

func (n *Node) snapshotMeta() (raftpb.SnapshotMeta, error) {
	n.mu.Lock()
	applied := n.applied
	n.mu.Unlock()
	term, ok := n.log.TermAt(applied)
	if !ok {
		return raftpb.SnapshotMeta{}, ErrCompacted
	}
	return raftpb.SnapshotMeta{Index: applied, Term: term, Members: n.Members()}, nil
}

// Snapshot saves the state machine and compacts the log behind it. The save runs in
// the background while the hard state is persisted.
func (n *Node) Snapshot(ctx context.Context) error {
	meta, err := n.snapshotMeta()
	if err != nil {
		return err
	}
	data, err := n.sm.Snapshot()
	if err != nil {
		return err
	}
	errc := make(chan error)
	go func() { errc <- n.snaps.Save(meta, data) }() // HAZ goroutine-blocked-send
	n.mu.Lock()
	perr := n.persistLocked()
	n.mu.Unlock()
	if perr != nil {
		return fmt.Errorf("raft: persist before compaction: %w", perr)
	}
	if err := <-errc; err != nil {
		return err
	}
	return n.log.Compact(meta.Index)
}

// SnapshotWithTimeout saves in the background but gives up waiting when ctx ends;
// the channel has room for the one result, so the saver never blocks.
func (n *Node) SnapshotWithTimeout(ctx context.Context) error {
	meta, err := n.snapshotMeta()
	if err != nil {
		return err
	}
	data, err := n.sm.Snapshot()
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- n.snaps.Save(meta, data) }()
	select {
	case err := <-errc:
		if err != nil {
			return err
		}
		return n.log.Compact(meta.Index)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RestoreSnapshot installs a snapshot received from the leader.
func (n *Node) RestoreSnapshot(meta raftpb.SnapshotMeta, data []byte) error {
	if err := n.sm.Restore(data); err != nil {
		return err
	}
	n.log.Reset(meta.Index, meta.Term)
	n.applyConfig(raftpb.Entry{Kind: raftpb.EntryConfig, Members: meta.Members})
	n.mu.Lock()
	defer n.mu.Unlock()
	n.applied = meta.Index
	return n.persistLocked()
}

// ApplyDirect applies an entry synchronously (used on restart replay), converting a
// state-machine panic into an error.
func (n *Node) ApplyDirect(e raftpb.Entry) error {
	if e.Kind == raftpb.EntryConfig {
		n.applyConfig(e)
		return nil
	}
	if err := n.applyGuarded(e); err != nil {
		return err
	}
	n.mu.Lock()
	n.applied = e.Index
	n.mu.Unlock()
	return nil
}
