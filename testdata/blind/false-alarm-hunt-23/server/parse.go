package server

import "strings"

// statement is the parsed form of the supported SQL subset:
//
//	CREATE TABLE t (a, b)
//	INSERT INTO t (a, b) VALUES (?, ?)
//	SELECT a, b FROM t [WHERE c = ?]      SELECT COUNT(*) FROM t [WHERE c = ?]
//	UPDATE t SET a = ? WHERE c = ?        UPDATE t SET a = a + ? WHERE c = ?
//	DELETE FROM t [WHERE c = ?]
//	LOCK name                             UNLOCK name
type statement struct {
	verb  string
	table string
	cols  []string
	where string
	incr  bool
}

var tokenizer = strings.NewReplacer("(", " ( ", ")", " ) ", ",", " , ", "=", " = ", "+", " + ")

func parse(query string) (statement, error) {
	toks := strings.Fields(tokenizer.Replace(query))
	if len(toks) < 2 {
		return statement{}, errf("42601", "syntax error in %q", query)
	}
	p := &parser{toks: toks, query: query}
	verb := strings.ToUpper(toks[0])
	p.pos = 1
	var st statement
	switch verb {
	case "LOCK", "UNLOCK":
		st = statement{verb: verb, table: unquote(p.next())}
	case "CREATE":
		p.expect("TABLE")
		st = statement{verb: verb, table: unquote(p.next()), cols: p.list()}
	case "INSERT":
		p.expect("INTO")
		st = statement{verb: verb, table: unquote(p.next()), cols: p.list()}
		p.expect("VALUES")
		p.list()
	case "SELECT":
		st.verb = verb
		if strings.EqualFold(p.peek(), "COUNT") {
			st.verb = "COUNT"
			p.next()
			p.list()
		} else {
			st.cols = p.until("FROM")
		}
		p.expect("FROM")
		st.table = unquote(p.next())
		st.where = p.where()
	case "UPDATE":
		st = statement{verb: verb, table: unquote(p.next())}
		p.expect("SET")
		col := p.next()
		p.expect("=")
		if v := p.next(); v != "?" {
			st.incr = v == col
			p.expect("+")
			p.expect("?")
		}
		st.cols = []string{col}
		st.where = p.where()
	case "DELETE":
		p.expect("FROM")
		st = statement{verb: verb, table: unquote(p.next())}
		st.where = p.where()
	default:
		return statement{}, errf("0A000", "unsupported statement %q", toks[0])
	}
	if p.err != nil {
		return statement{}, p.err
	}
	return st, nil
}

type parser struct {
	toks  []string
	pos   int
	query string
	err   error
}

func (p *parser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *parser) next() string {
	t := p.peek()
	if t == "" && p.err == nil {
		p.err = errf("42601", "unexpected end of %q", p.query)
	}
	p.pos++
	return t
}

func (p *parser) expect(word string) {
	if t := p.next(); !strings.EqualFold(t, word) && p.err == nil {
		p.err = errf("42601", "expected %s, found %q in %q", word, t, p.query)
	}
}

// list reads "( a , b , ... )".
func (p *parser) list() []string {
	p.expect("(")
	var out []string
	for p.err == nil {
		t := p.next()
		switch t {
		case ")":
			return out
		case ",":
		default:
			out = append(out, unquote(t))
		}
	}
	return nil
}

// until reads a comma-separated list up to (not including) word.
func (p *parser) until(word string) []string {
	var out []string
	for p.err == nil && !strings.EqualFold(p.peek(), word) {
		if t := p.next(); t != "," {
			out = append(out, unquote(t))
		}
	}
	return out
}

// where reads an optional "WHERE col = ?".
func (p *parser) where() string {
	if !strings.EqualFold(p.peek(), "WHERE") {
		return ""
	}
	p.next()
	col := unquote(p.next())
	p.expect("=")
	p.expect("?")
	return col
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return s
}
