package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// cond is one "col op ?" term of a WHERE clause. Terms are joined with AND.
type cond struct {
	col string
	op  string
}

// statement is the parsed form of the small SQL dialect the fake understands:
//
//	SELECT c1, c2 FROM t [WHERE a = ? [AND b <= ?]] [ORDER BY c] [LIMIT n]
//	INSERT INTO t (c1, c2) VALUES (?, ?)
//	UPDATE t SET c1 = ?, c2 = ? [WHERE a = ?]
//	DELETE FROM t [WHERE a = ?]
type statement struct {
	verb    string
	table   string
	cols    []string
	where   []cond
	orderBy string
	limit   int
}

func tokenize(q string) []string {
	r := strings.NewReplacer(",", " , ", "(", " ( ", ")", " ) ")
	return strings.Fields(r.Replace(q))
}

func parse(q string) (*statement, error) {
	toks := tokenize(q)
	if len(toks) < 2 {
		return nil, fmt.Errorf("store: short statement %q", q)
	}
	st := &statement{verb: strings.ToUpper(toks[0])}
	var rest []string
	var err error
	switch st.verb {
	case "SELECT":
		rest, err = st.parseSelect(toks[1:])
	case "INSERT":
		rest, err = st.parseInsert(toks[1:])
	case "UPDATE":
		rest, err = st.parseUpdate(toks[1:])
	case "DELETE":
		if len(toks) < 3 || !strings.EqualFold(toks[1], "FROM") {
			return nil, fmt.Errorf("store: expected DELETE FROM in %q", q)
		}
		st.table, rest = toks[2], toks[3:]
	default:
		return nil, fmt.Errorf("store: unsupported verb %q", toks[0])
	}
	if err != nil {
		return nil, err
	}
	if err := st.parseTail(rest); err != nil {
		return nil, fmt.Errorf("store: %q: %w", q, err)
	}
	return st, nil
}

func (st *statement) parseSelect(toks []string) ([]string, error) {
	for i, t := range toks {
		switch {
		case strings.EqualFold(t, "FROM"):
			if i+1 >= len(toks) {
				return nil, fmt.Errorf("store: SELECT without table")
			}
			st.table = toks[i+1]
			return toks[i+2:], nil
		case t != ",":
			st.cols = append(st.cols, t)
		}
	}
	return nil, fmt.Errorf("store: SELECT without FROM")
}

func (st *statement) parseInsert(toks []string) ([]string, error) {
	if len(toks) < 3 || !strings.EqualFold(toks[0], "INTO") || toks[2] != "(" {
		return nil, fmt.Errorf("store: expected INSERT INTO t (cols)")
	}
	st.table = toks[1]
	i := 3
	for ; i < len(toks) && toks[i] != ")"; i++ {
		if toks[i] != "," {
			st.cols = append(st.cols, toks[i])
		}
	}
	// The VALUES list is all placeholders; its arity is checked at bind time.
	return nil, nil
}

func (st *statement) parseUpdate(toks []string) ([]string, error) {
	if len(toks) < 5 || !strings.EqualFold(toks[1], "SET") {
		return nil, fmt.Errorf("store: expected UPDATE t SET ...")
	}
	st.table = toks[0]
	i := 2
	for i+2 < len(toks) {
		if toks[i+1] != "=" || toks[i+2] != "?" {
			return nil, fmt.Errorf("store: bad SET term near %q", toks[i])
		}
		st.cols = append(st.cols, toks[i])
		i += 3
		if i < len(toks) && toks[i] == "," {
			i++
			continue
		}
		break
	}
	return toks[i:], nil
}

func (st *statement) parseTail(toks []string) error {
	for i := 0; i < len(toks); {
		switch strings.ToUpper(toks[i]) {
		case "WHERE", "AND":
			if i+3 >= len(toks) || toks[i+3] != "?" {
				return fmt.Errorf("bad condition near %q", toks[i])
			}
			st.where = append(st.where, cond{col: toks[i+1], op: toks[i+2]})
			i += 4
		case "ORDER":
			if i+2 >= len(toks) {
				return fmt.Errorf("bad ORDER BY")
			}
			st.orderBy = toks[i+2]
			i += 3
		case "LIMIT":
			if i+1 >= len(toks) {
				return fmt.Errorf("LIMIT without count")
			}
			n, err := strconv.Atoi(toks[i+1])
			if err != nil {
				return fmt.Errorf("bad LIMIT: %w", err)
			}
			st.limit = n
			i += 2
		default:
			return fmt.Errorf("unexpected token %q", toks[i])
		}
	}
	return nil
}

// compare orders two column values of the same dynamic type. Mixed or
// unknown types compare by their printed form.
func compare(a, b any) int {
	switch x := a.(type) {
	case int:
		if y, ok := b.(int); ok {
			return x - y
		}
	case int64:
		if y, ok := b.(int64); ok {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y)
		}
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

func (c cond) match(v, arg any) bool {
	n := compare(v, arg)
	switch c.op {
	case "=":
		return n == 0
	case "!=", "<>":
		return n != 0
	case "<":
		return n < 0
	case "<=":
		return n <= 0
	case ">":
		return n > 0
	case ">=":
		return n >= 0
	}
	return false
}
