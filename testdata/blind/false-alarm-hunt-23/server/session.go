package server

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"example.com/fah23/internal/wire"
)

// session is the per-connection protocol state.
type session struct {
	id    string
	eng   *Engine
	inTx  bool
	stmts map[string]string
	next  int
}

func newSession(eng *Engine, id string) *session {
	return &session{id: id, eng: eng, stmts: map[string]string{}}
}

func errorFrame(err error) wire.Frame {
	var se *wire.ServerError
	if errors.As(err, &se) {
		return wire.ErrorFrame(se.Code, se.Message)
	}
	return wire.ErrorFrame("XX000", err.Error())
}

// safeDispatch answers req; an engine panic becomes an error frame for the
// client instead of killing the connection's goroutine.
func (s *session) safeDispatch(req wire.Frame) (resp []wire.Frame) {
	defer func() {
		if r := recover(); r != nil {
			resp = []wire.Frame{wire.ErrorFrame("XX000", fmt.Sprintf("internal error: %v", r))}
		}
	}()
	return s.dispatch(req)
}

// dispatch answers one request. The caller appends KindDone unless the
// answer ends with an error frame.
func (s *session) dispatch(req wire.Frame) []wire.Frame {
	switch req.Kind {
	case wire.KindStartup, wire.KindPing:
		return nil
	case wire.KindParse:
		return s.prepare(req.Fields)
	case wire.KindCloseStmt:
		for _, id := range req.Fields {
			delete(s.stmts, id)
		}
		return nil
	case wire.KindBegin:
		if s.inTx {
			return []wire.Frame{wire.ErrorFrame("25001", "transaction already in progress")}
		}
		s.inTx = true
		return nil
	case wire.KindCommit, wire.KindRollback:
		if !s.inTx {
			return []wire.Frame{wire.ErrorFrame("25P01", "no transaction in progress")}
		}
		s.inTx = false
		return nil
	case wire.KindExec:
		return s.exec(req.Fields)
	case wire.KindQuery:
		return s.query(req.Fields)
	}
	return []wire.Frame{wire.ErrorFrame("08P01", "unexpected frame kind "+strconv.QuoteRune(rune(req.Kind)))}
}

func (s *session) prepare(fields []string) []wire.Frame {
	if len(fields) != 1 {
		return []wire.Frame{wire.ErrorFrame("08P01", "parse takes one query")}
	}
	if _, err := parse(fields[0]); err != nil {
		return []wire.Frame{errorFrame(err)}
	}
	s.next++
	id := "s" + strconv.Itoa(s.next)
	s.stmts[id] = fields[0]
	n := strings.Count(fields[0], "?")
	return []wire.Frame{{Kind: wire.KindResult, Fields: []string{id, strconv.Itoa(n)}}}
}

// resolve splits fields into query text and arguments; "@id" names a
// prepared statement.
func (s *session) resolve(fields []string) (string, []string, error) {
	if len(fields) == 0 {
		return "", nil, errf("08P01", "missing query")
	}
	q := fields[0]
	if id, ok := strings.CutPrefix(q, "@"); ok {
		stmt, found := s.stmts[id]
		if !found {
			return "", nil, errf("26000", "prepared statement %q does not exist", id)
		}
		q = stmt
	}
	return q, fields[1:], nil
}

func (s *session) exec(fields []string) []wire.Frame {
	q, args, err := s.resolve(fields)
	if err != nil {
		return []wire.Frame{errorFrame(err)}
	}
	id, n, err := s.eng.Exec(s.id, q, args)
	if err != nil {
		return []wire.Frame{errorFrame(err)}
	}
	return []wire.Frame{{Kind: wire.KindResult, Fields: []string{strconv.FormatInt(id, 10), strconv.FormatInt(n, 10)}}}
}

func (s *session) query(fields []string) []wire.Frame {
	q, args, err := s.resolve(fields)
	if err != nil {
		return []wire.Frame{errorFrame(err)}
	}
	cols, rows, err := s.eng.Query(q, args)
	if err != nil {
		return []wire.Frame{errorFrame(err)}
	}
	typed := make([]string, len(cols))
	for i, c := range cols {
		typed[i] = c + ":text"
	}
	out := make([]wire.Frame, 0, len(rows)+1)
	out = append(out, wire.Frame{Kind: wire.KindColumns, Fields: typed})
	for _, r := range rows {
		out = append(out, wire.Frame{Kind: wire.KindRow, Fields: r})
	}
	return out
}
