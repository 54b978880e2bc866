package backfill

import (
	"encoding/binary"
	"errors"
	"math"

	"example.com/featurestore/internal/cache"
)

var errTxDone = errors.New("backfill: transaction already finished")

// CacheSink writes backfilled values straight into the online store. It is
// used to warm a fresh replica from history.
type CacheSink struct {
	Store *cache.Store
	View  string
}

// Begin starts a transaction that buffers rows until Commit.
func (s *CacheSink) Begin(feature string) (Tx, error) {
	if s.Store == nil {
		return nil, errors.New("backfill: CacheSink has no store")
	}
	return &cacheTx{sink: s, feature: feature, values: make(map[string][]byte), newest: make(map[string]int64)}, nil
}

type cacheTx struct {
	sink    *CacheSink
	feature string
	values  map[string][]byte
	newest  map[string]int64
	version int64
	done    bool
}

func (t *cacheTx) Put(row Row) error {
	if t.done {
		return errTxDone
	}
	key := t.sink.View + "/" + row.EntityID + "/" + t.feature
	ts := row.Ts.UnixNano()
	if cur, ok := t.newest[key]; ok && cur > ts {
		return nil
	}
	buf := make([]byte, 16)
	binary.BigEndian.PutUint64(buf[:8], math.Float64bits(row.Value))
	binary.BigEndian.PutUint64(buf[8:], uint64(ts))
	t.values[key] = buf
	t.newest[key] = ts
	t.version = max(t.version, ts)
	return nil
}

func (t *cacheTx) Commit() error {
	if t.done {
		return errTxDone
	}
	t.done = true
	t.sink.Store.PutMany(t.values, t.version)
	return nil
}

func (t *cacheTx) Rollback() {
	t.done = true
	t.values, t.newest = nil, nil
}
