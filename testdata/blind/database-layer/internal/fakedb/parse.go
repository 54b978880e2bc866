package fakedb

import (
	"fmt"
	"strconv"
	"strings"
)

type kind int

const (
	kindNoop kind = iota
	kindCreate
	kindDrop
	kindInsert
	kindSelect
	kindUpdate
	kindDelete
	kindSavepoint
	kindRollbackTo
	kindRelease
)

// parsed is one statement of the tiny SQL dialect the fake understands.
type parsed struct {
	kind  kind
	table string
	cols  []string // CREATE/INSERT column list, SELECT projection (nil: all), UPDATE SET columns
	where string   // column of "WHERE col = ?", empty when there is none
	limit int      // SELECT ... LIMIT n, 0 when unlimited
	count bool     // SELECT COUNT(*)
	name  string   // savepoint name
}

func (p parsed) writes() bool {
	switch p.kind {
	case kindCreate, kindDrop, kindInsert, kindUpdate, kindDelete:
		return true
	}
	return false
}

var punct = strings.NewReplacer("(", " ", ")", " ", ",", " ", ";", " ", "=", " ")

func tokenize(q string) []string {
	return strings.Fields(punct.Replace(q))
}

func parse(q string) (parsed, error) {
	toks := tokenize(q)
	if len(toks) == 0 {
		return parsed{}, fmt.Errorf("fakedb: empty statement")
	}
	switch strings.ToUpper(toks[0]) {
	case "CREATE":
		return parseCreate(q)
	case "DROP":
		return parsed{kind: kindDrop, table: lastTok(toks)}, nil
	case "INSERT":
		return parseInsert(q)
	case "SELECT":
		return parseSelect(toks)
	case "UPDATE":
		return parseUpdate(toks)
	case "DELETE":
		return parseDelete(toks)
	case "SAVEPOINT":
		return parsed{kind: kindSavepoint, name: lastTok(toks)}, nil
	case "RELEASE":
		return parsed{kind: kindRelease, name: lastTok(toks)}, nil
	case "ROLLBACK":
		if len(toks) > 2 && strings.EqualFold(toks[1], "TO") {
			return parsed{kind: kindRollbackTo, name: lastTok(toks)}, nil
		}
		return parsed{}, fmt.Errorf("fakedb: use Tx.Rollback instead of %q", q)
	}
	return parsed{kind: kindNoop}, nil
}

func lastTok(toks []string) string {
	return toks[len(toks)-1]
}

// headAndColumns splits "VERB ... name (a TYPE, b TYPE) ..." into the table
// name (the last word before the first parenthesis) and the first word of
// every comma-separated item inside the parentheses.
func headAndColumns(q string) (string, []string, error) {
	open := strings.IndexByte(q, '(')
	if open < 0 {
		return "", nil, fmt.Errorf("fakedb: missing column list in %q", q)
	}
	closing := strings.IndexByte(q[open:], ')')
	if closing < 0 {
		return "", nil, fmt.Errorf("fakedb: unbalanced parenthesis in %q", q)
	}
	head := strings.Fields(q[:open])
	if len(head) == 0 {
		return "", nil, fmt.Errorf("fakedb: missing table name in %q", q)
	}
	var cols []string
	for _, item := range strings.Split(q[open+1:open+closing], ",") {
		if f := strings.Fields(item); len(f) > 0 {
			cols = append(cols, strings.ToLower(f[0]))
		}
	}
	return strings.ToLower(lastTok(head)), cols, nil
}

func parseCreate(q string) (parsed, error) {
	table, cols, err := headAndColumns(q)
	if err != nil {
		return parsed{}, err
	}
	return parsed{kind: kindCreate, table: table, cols: cols}, nil
}

func parseInsert(q string) (parsed, error) {
	table, cols, err := headAndColumns(q)
	if err != nil {
		return parsed{}, err
	}
	return parsed{kind: kindInsert, table: table, cols: cols}, nil
}

func indexFold(toks []string, word string) int {
	for i, t := range toks {
		if strings.EqualFold(t, word) {
			return i
		}
	}
	return -1
}

func parseSelect(toks []string) (parsed, error) {
	from := indexFold(toks, "FROM")
	if from < 0 {
		// SELECT 1, SELECT pg_advisory_lock(?) and friends.
		return parsed{kind: kindSelect}, nil
	}
	if from+1 >= len(toks) {
		return parsed{}, fmt.Errorf("fakedb: missing table after FROM")
	}
	p := parsed{kind: kindSelect, table: strings.ToLower(toks[from+1])}
	for _, c := range toks[1:from] {
		switch {
		case strings.EqualFold(c, "COUNT"):
			p.count = true
		case c == "*":
		default:
			p.cols = append(p.cols, strings.ToLower(c))
		}
	}
	rest := toks[from+2:]
	if i := indexFold(rest, "WHERE"); i >= 0 && i+1 < len(rest) {
		p.where = strings.ToLower(rest[i+1])
	}
	if i := indexFold(rest, "LIMIT"); i >= 0 && i+1 < len(rest) {
		n, err := strconv.Atoi(rest[i+1])
		if err != nil {
			return parsed{}, fmt.Errorf("fakedb: bad LIMIT: %w", err)
		}
		p.limit = n
	}
	return p, nil
}

func parseUpdate(toks []string) (parsed, error) {
	set := indexFold(toks, "SET")
	if len(toks) < 2 || set < 0 {
		return parsed{}, fmt.Errorf("fakedb: malformed UPDATE")
	}
	p := parsed{kind: kindUpdate, table: strings.ToLower(toks[1])}
	end := len(toks)
	if w := indexFold(toks, "WHERE"); w > set {
		end = w
		if w+1 < len(toks) {
			p.where = strings.ToLower(toks[w+1])
		}
	}
	for _, t := range toks[set+1 : end] {
		if t != "?" {
			p.cols = append(p.cols, strings.ToLower(t))
		}
	}
	return p, nil
}

func parseDelete(toks []string) (parsed, error) {
	from := indexFold(toks, "FROM")
	if from < 0 || from+1 >= len(toks) {
		return parsed{}, fmt.Errorf("fakedb: malformed DELETE")
	}
	p := parsed{kind: kindDelete, table: strings.ToLower(toks[from+1])}
	if w := indexFold(toks, "WHERE"); w >= 0 && w+1 < len(toks) {
		p.where = strings.ToLower(toks[w+1])
	}
	return p, nil
}
