package jobs

import (
	"database/sql/driver"
	"errors"
	"sort"
	"time"

	"example.com/saas/internal/fakedb"
)

// The fake jobs table used by tests, the dev server and `admin --dry-run`.

var jobColumns = []string{"id", "tenant", "kind", "payload", "state", "attempts", "run_at", "last_error"}

func init() {
	fakedb.Handle("jobs.insert", fakeInsert)
	fakedb.Handle("jobs.claim", fakeClaim)
	fakedb.Handle("jobs.set_state", fakeSetState)
	fakedb.Handle("jobs.requeue", fakeRequeue)
	fakedb.Handle("jobs.touch", fakeTouch)
	fakedb.Handle("jobs.list", fakeList)
	fakedb.Handle("jobs.get", fakeGet)
	fakedb.Handle("jobs.count_by_state", fakeCount)
	fakedb.Handle("jobs.purge", fakePurge)
	fakedb.Handle("audit.insert", fakeAudit)
}

var errArgs = errors.New("fakedb jobs: wrong arguments")

func rowOf(r fakedb.Record) []driver.Value {
	out := make([]driver.Value, len(jobColumns))
	for i, c := range jobColumns {
		out[i] = r[c]
	}
	return out
}

func findJob(s *fakedb.Store, id driver.Value) fakedb.Record {
	for _, r := range s.Tables["jobs"] {
		if r["id"] == id {
			return r
		}
	}
	return nil
}

func fakeInsert(s *fakedb.Store, args []driver.Value) (*fakedb.Result, error) {
	if len(args) != 4 {
		return nil, errArgs
	}
	id := s.NextID()
	s.Tables["jobs"] = append(s.Tables["jobs"], fakedb.Record{
		"id": id, "tenant": args[0], "kind": args[1], "payload": args[2],
		"state": StateQueued, "attempts": int64(0), "run_at": args[3], "last_error": "",
	})
	return &fakedb.Result{Affected: 1, LastID: id}, nil
}

func fakeClaim(s *fakedb.Store, args []driver.Value) (*fakedb.Result, error) {
	if len(args) != 2 {
		return nil, errArgs
	}
	now, _ := args[1].(time.Time)
	var best fakedb.Record
	for _, r := range s.Tables["jobs"] {
		runAt, _ := r["run_at"].(time.Time)
		if r["state"] != StateQueued || runAt.After(now) {
			continue
		}
		if best == nil || runAt.Before(best["run_at"].(time.Time)) {
			best = r
		}
	}
	res := &fakedb.Result{Columns: jobColumns}
	if best != nil {
		best["state"] = StateRunning
		best["worker"] = args[0]
		res.Rows = [][]driver.Value{rowOf(best)}
		res.Affected = 1
	}
	return res, nil
}

func fakeSetState(s *fakedb.Store, args []driver.Value) (*fakedb.Result, error) {
	if len(args) != 3 {
		return nil, errArgs
	}
	r := findJob(s, args[2])
	if r == nil {
		return &fakedb.Result{}, nil
	}
	r["state"], r["last_error"] = args[0], args[1]
	return &fakedb.Result{Affected: 1}, nil
}

func fakeRequeue(s *fakedb.Store, args []driver.Value) (*fakedb.Result, error) {
	if len(args) != 3 {
		return nil, errArgs
	}
	r := findJob(s, args[2])
	if r == nil {
		return &fakedb.Result{}, nil
	}
	r["state"], r["run_at"], r["last_error"] = StateQueued, args[0], args[1]
	r["attempts"] = r["attempts"].(int64) + 1
	return &fakedb.Result{Affected: 1}, nil
}

func fakeTouch(s *fakedb.Store, args []driver.Value) (*fakedb.Result, error) {
	if len(args) != 2 {
		return nil, errArgs
	}
	if r := findJob(s, args[1]); r != nil {
		r["heartbeat"] = args[0]
		return &fakedb.Result{Affected: 1}, nil
	}
	return &fakedb.Result{}, nil
}

func fakeList(s *fakedb.Store, args []driver.Value) (*fakedb.Result, error) {
	if len(args) < 2 {
		return nil, errArgs
	}
	res := &fakedb.Result{Columns: jobColumns}
	for _, r := range s.Tables["jobs"] {
		if r["tenant"] != args[0] {
			continue
		}
		if st, _ := args[1].(string); st != "" && r["state"] != st {
			continue
		}
		res.Rows = append(res.Rows, rowOf(r))
	}
	return res, nil
}

func fakeGet(s *fakedb.Store, args []driver.Value) (*fakedb.Result, error) {
	if len(args) != 2 {
		return nil, errArgs
	}
	res := &fakedb.Result{Columns: jobColumns}
	if r := findJob(s, args[1]); r != nil && r["tenant"] == args[0] {
		res.Rows = [][]driver.Value{rowOf(r)}
	}
	return res, nil
}

func fakeCount(s *fakedb.Store, _ []driver.Value) (*fakedb.Result, error) {
	counts := map[string]int64{}
	for _, r := range s.Tables["jobs"] {
		st, _ := r["state"].(string)
		counts[st]++
	}
	states := make([]string, 0, len(counts))
	for st := range counts {
		states = append(states, st)
	}
	sort.Strings(states)
	res := &fakedb.Result{Columns: []string{"state", "count"}}
	for _, st := range states {
		res.Rows = append(res.Rows, []driver.Value{st, counts[st]})
	}
	return res, nil
}

func fakePurge(s *fakedb.Store, args []driver.Value) (*fakedb.Result, error) {
	if len(args) != 1 {
		return nil, errArgs
	}
	before, _ := args[0].(time.Time)
	kept := s.Tables["jobs"][:0]
	var n int64
	for _, r := range s.Tables["jobs"] {
		runAt, _ := r["run_at"].(time.Time)
		if (r["state"] == StateDone || r["state"] == StateFailed) && runAt.Before(before) {
			n++
			continue
		}
		kept = append(kept, r)
	}
	s.Tables["jobs"] = kept
	return &fakedb.Result{Affected: n}, nil
}

func fakeAudit(s *fakedb.Store, args []driver.Value) (*fakedb.Result, error) {
	rec := fakedb.Record{"id": s.NextID()}
	for i, a := range args {
		rec[string(rune('a'+i))] = a
	}
	s.Tables["audit"] = append(s.Tables["audit"], rec)
	return &fakedb.Result{Affected: 1, LastID: rec["id"].(int64)}, nil
}
