// Package server is the development server behind fahdbd: an in-memory
// engine understanding a small SQL subset, sessions speaking the wire
// protocol, and snapshot files.
package server

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"example.com/fah23/internal/wire"
)

// Table stores wire-encoded values ("i:1", "s:ada").
type Table struct {
	Cols []string   `json:"cols"`
	Rows [][]string `json:"rows"`
}

// Engine is the in-memory database.
type Engine struct {
	mu     sync.RWMutex
	tables map[string]*Table
	nextID int64
	locks  map[string]string // advisory lock name -> session id
}

// NewEngine returns an empty engine.
func NewEngine() *Engine {
	return &Engine{tables: map[string]*Table{}, locks: map[string]string{}}
}

func errf(code, format string, args ...any) error {
	return &wire.ServerError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// tableLocked requires e.mu (read or write).
func (e *Engine) tableLocked(name string) (*Table, error) {
	t, ok := e.tables[name]
	if !ok {
		return nil, errf("42P01", "relation %q does not exist", name)
	}
	return t, nil
}

func colIndex(t *Table, col string) int {
	for i, c := range t.Cols {
		if c == col {
			return i
		}
	}
	return -1
}

// matching returns the indexes of the rows selected by st's WHERE clause,
// whose value is the last argument.
func matching(t *Table, st statement, args []string) ([]int, error) {
	var out []int
	if st.where == "" {
		for i := range t.Rows {
			out = append(out, i)
		}
		return out, nil
	}
	w := colIndex(t, st.where)
	if w < 0 || len(args) == 0 {
		return nil, errf("42703", "bad WHERE column %q", st.where)
	}
	want := args[len(args)-1]
	for i, row := range t.Rows {
		if row[w] == want {
			out = append(out, i)
		}
	}
	return out, nil
}

// Exec runs a statement that changes data or locks.
func (e *Engine) Exec(session, query string, args []string) (lastID, affected int64, err error) {
	st, err := parse(query)
	if err != nil {
		return 0, 0, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	switch st.verb {
	case "CREATE":
		if _, ok := e.tables[st.table]; ok {
			return 0, 0, errf("42P07", "relation %q already exists", st.table)
		}
		e.tables[st.table] = &Table{Cols: st.cols}
		return 0, 0, nil
	case "INSERT":
		return e.insertLocked(st, args)
	case "UPDATE":
		n, err := e.updateLocked(st, args)
		return 0, n, err
	case "DELETE":
		n, err := e.deleteLocked(st, args)
		return 0, n, err
	case "LOCK", "UNLOCK":
		return 0, 0, e.advisoryLocked(session, st.verb == "LOCK", st.table)
	}
	return 0, 0, errf("0A000", "%s is not supported by Exec", st.verb)
}

func (e *Engine) insertLocked(st statement, args []string) (int64, int64, error) {
	t, err := e.tableLocked(st.table)
	if err != nil {
		return 0, 0, err
	}
	if len(args) != len(st.cols) {
		return 0, 0, errf("08P01", "INSERT has %d columns but %d values", len(st.cols), len(args))
	}
	row := make([]string, len(t.Cols))
	for i := range row {
		row[i] = "n:"
	}
	for i, c := range st.cols {
		idx := colIndex(t, c)
		if idx < 0 {
			return 0, 0, errf("42703", "column %q does not exist", c)
		}
		row[idx] = args[i]
	}
	var id int64
	if idx := colIndex(t, "id"); idx >= 0 && row[idx] == "n:" {
		e.nextID++
		id = e.nextID
		row[idx] = "i:" + strconv.FormatInt(id, 10)
	}
	t.Rows = append(t.Rows, row)
	return id, 1, nil
}

func (e *Engine) updateLocked(st statement, args []string) (int64, error) {
	t, err := e.tableLocked(st.table)
	if err != nil {
		return 0, err
	}
	set := colIndex(t, st.cols[0])
	if set < 0 || len(args) == 0 {
		return 0, errf("42703", "bad SET column %q", st.cols[0])
	}
	rows, err := matching(t, st, args)
	if err != nil {
		return 0, err
	}
	for _, i := range rows {
		v := args[0]
		if st.incr {
			cur, _ := strconv.ParseInt(strings.TrimPrefix(t.Rows[i][set], "i:"), 10, 64)
			delta, _ := strconv.ParseInt(strings.TrimPrefix(v, "i:"), 10, 64)
			v = "i:" + strconv.FormatInt(cur+delta, 10)
		}
		t.Rows[i][set] = v
	}
	return int64(len(rows)), nil
}

func (e *Engine) deleteLocked(st statement, args []string) (int64, error) {
	t, err := e.tableLocked(st.table)
	if err != nil {
		return 0, err
	}
	rows, err := matching(t, st, args)
	if err != nil {
		return 0, err
	}
	drop := make(map[int]bool, len(rows))
	for _, i := range rows {
		drop[i] = true
	}
	kept := t.Rows[:0]
	for i, row := range t.Rows {
		if !drop[i] {
			kept = append(kept, row)
		}
	}
	t.Rows = kept
	return int64(len(rows)), nil
}

func (e *Engine) advisoryLocked(session string, lock bool, name string) error {
	holder, held := e.locks[name]
	switch {
	case lock && held && holder != session:
		return errf("55P03", "lock %q is held by another session", name)
	case lock:
		e.locks[name] = session
	case held && holder == session:
		delete(e.locks, name)
	default:
		return errf("55000", "lock %q is not held by this session", name)
	}
	return nil
}

// ReleaseLocks drops every advisory lock held by session.
func (e *Engine) ReleaseLocks(session string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for name, holder := range e.locks {
		if holder == session {
			delete(e.locks, name)
		}
	}
}

// Query runs a SELECT. The read lock is held until Query returns; helpers
// called under it do not lock again.
func (e *Engine) Query(query string, args []string) (cols []string, rows [][]string, err error) {
	st, err := parse(query)
	if err != nil {
		return nil, nil, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	t, err := e.tableLocked(st.table)
	if err != nil {
		return nil, nil, err
	}
	idx, err := matching(t, st, args)
	if err != nil {
		return nil, nil, err
	}
	if st.verb == "COUNT" {
		return []string{"count"}, [][]string{{"i:" + strconv.Itoa(len(idx))}}, nil
	}
	proj, err := projection(t, st.cols)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range proj {
		cols = append(cols, t.Cols[c])
	}
	for _, i := range idx {
		out := make([]string, len(proj))
		for j, c := range proj {
			out[j] = t.Rows[i][c]
		}
		rows = append(rows, out)
	}
	return cols, rows, nil
}

func projection(t *Table, cols []string) ([]int, error) {
	if len(cols) == 1 && cols[0] == "*" {
		all := make([]int, len(t.Cols))
		for i := range all {
			all[i] = i
		}
		return all, nil
	}
	out := make([]int, 0, len(cols))
	for _, c := range cols {
		i := colIndex(t, c)
		if i < 0 {
			return nil, errf("42703", "column %q does not exist", c)
		}
		out = append(out, i)
	}
	return out, nil
}

// Tables lists the table names.
func (e *Engine) Tables() []string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	names := make([]string, 0, len(e.tables))
	for n := range e.tables {
		names = append(names, n)
	}
	return names
}

type snapshot struct {
	NextID int64             `json:"next_id"`
	Tables map[string]*Table `json:"tables"`
}

// SaveSnapshot writes the engine state to path atomically: a synced temp
// file renamed over the target. The temp file is removed on failure.
func (e *Engine) SaveSnapshot(path string) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".snapshot-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	e.mu.RLock()
	data, err := json.Marshal(snapshot{NextID: e.nextID, Tables: e.tables})
	e.mu.RUnlock()
	if err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// LoadSnapshot replaces the engine state with the snapshot at path.
func (e *Engine) LoadSnapshot(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var snap snapshot
	if err := json.NewDecoder(f).Decode(&snap); err != nil {
		return fmt.Errorf("server: snapshot %s: %w", path, err)
	}
	if snap.Tables == nil {
		snap.Tables = map[string]*Table{}
	}
	e.mu.Lock()
	e.tables, e.nextID = snap.Tables, snap.NextID
	e.mu.Unlock()
	return nil
}
