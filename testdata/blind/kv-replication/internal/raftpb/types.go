// Package raftpb holds the wire and log types shared by the replication packages.
package raftpb

import (
	"errors"
	"fmt"
)

// Term is a leader-election epoch.
type Term uint64

// Index is a position in the replicated log.
type Index uint64

// EntryKind says what an entry does to the state machine.
type EntryKind int

// Entry kinds.
const (
	EntryNoop EntryKind = iota
	EntryPut
	EntryDelete
	EntryConfig
)

// String implements fmt.Stringer.
func (k EntryKind) String() string {
	switch k {
	case EntryNoop:
		return "noop"
	case EntryPut:
		return "put"
	case EntryDelete:
		return "delete"
	case EntryConfig:
		return "config"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Entry is one replicated log record.
type Entry struct {
	Term    Term      `json:"term"`
	Index   Index     `json:"index"`
	Kind    EntryKind `json:"kind"`
	Key     string    `json:"key,omitempty"`
	Value   []byte    `json:"value,omitempty"`
	Members []string  `json:"members,omitempty"`
}

// Validate reports malformed entries before they are appended.
func (e Entry) Validate() error {
	switch e.Kind {
	case EntryPut, EntryDelete:
		if e.Key == "" {
			return errors.New("raftpb: entry without key")
		}
	case EntryConfig:
		if len(e.Members) == 0 {
			return errors.New("raftpb: config entry without members")
		}
	}
	return nil
}

// AppendRequest is sent by the leader to replicate entries and as heartbeat.
type AppendRequest struct {
	Term         Term    `json:"term"`
	LeaderID     string  `json:"leader_id"`
	LeaderAddr   string  `json:"leader_addr"`
	PrevIndex    Index   `json:"prev_index"`
	PrevTerm     Term    `json:"prev_term"`
	Entries      []Entry `json:"entries"`
	LeaderCommit Index   `json:"leader_commit"`
}

// AppendResponse answers an AppendRequest.
type AppendResponse struct {
	Term       Term  `json:"term"`
	Success    bool  `json:"success"`
	MatchIndex Index `json:"match_index"`
}

// VoteRequest asks a peer for its vote.
type VoteRequest struct {
	Term         Term   `json:"term"`
	CandidateID  string `json:"candidate_id"`
	LastLogIndex Index  `json:"last_log_index"`
	LastLogTerm  Term   `json:"last_log_term"`
}

// VoteResponse answers a VoteRequest.
type VoteResponse struct {
	Term    Term `json:"term"`
	Granted bool `json:"granted"`
}

// SnapshotMeta describes a stored snapshot.
type SnapshotMeta struct {
	Index    Index    `json:"index"`
	Term     Term     `json:"term"`
	Members  []string `json:"members"`
	Size     int64    `json:"size"`
	Checksum uint32   `json:"checksum"`
}

// NotLeaderError is returned by followers; Leader may be empty when unknown.
type NotLeaderError struct {
	Leader string
}

// Error implements error.
func (e *NotLeaderError) Error() string {
	if e.Leader == "" {
		return "not leader (leader unknown)"
	}
	return "not leader, try " + e.Leader
}
