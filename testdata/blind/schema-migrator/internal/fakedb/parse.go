package fakedb

import "strings"

// query is the little the store needs to know about a statement.
type query struct {
	verb  string   // "SELECT", "INSERT", "CREATE TABLE", ...
	table string   // lower case
	cols  []string // CREATE: columns; INSERT: target columns; SELECT: projection (nil = *); ALTER: action and column
	set   []string // UPDATE: assigned columns, in placeholder order
	where []string // columns compared with "= ?", ANDed, in placeholder order
}

// parse understands single-table statements with "?" placeholders only.
// The text is assumed to be ASCII, so upper-casing keeps byte offsets.
func parse(text string) query {
	s := strings.Join(strings.Fields(strings.TrimSuffix(strings.TrimSpace(text), ";")), " ")
	upper := strings.ToUpper(s)
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return query{}
	}
	switch {
	case strings.HasPrefix(upper, "CREATE TABLE "):
		rest := trimKeyword(s[len("CREATE TABLE "):], "IF NOT EXISTS ")
		return query{verb: "CREATE TABLE", table: tableName(rest), cols: columnNames(parenList(rest))}
	case strings.HasPrefix(upper, "DROP TABLE "):
		rest := trimKeyword(s[len("DROP TABLE "):], "IF EXISTS ")
		return query{verb: "DROP TABLE", table: tableName(rest)}
	case strings.HasPrefix(upper, "ALTER TABLE ") && len(fields) >= 5:
		action := strings.ToUpper(fields[3])
		col := fields[4]
		if strings.EqualFold(col, "COLUMN") && len(fields) >= 6 {
			col = fields[5]
		}
		return query{verb: "ALTER TABLE", table: tableName(fields[2]), cols: []string{action, col}}
	case strings.HasPrefix(upper, "INSERT INTO "):
		rest := s[len("INSERT INTO "):]
		head := rest
		if i := strings.Index(strings.ToUpper(rest), " VALUES"); i >= 0 {
			head = rest[:i]
		}
		return query{verb: "INSERT", table: tableName(rest), cols: columnNames(parenList(head))}
	case strings.HasPrefix(upper, "DELETE FROM "):
		rest := s[len("DELETE FROM "):]
		return query{verb: "DELETE", table: tableName(rest), where: whereColumns(s)}
	case strings.HasPrefix(upper, "UPDATE ") && len(fields) >= 2:
		q := query{verb: "UPDATE", table: tableName(fields[1]), where: whereColumns(s)}
		if i := strings.Index(upper, " SET "); i >= 0 {
			part := s[i+len(" SET "):]
			if j := strings.Index(strings.ToUpper(part), " WHERE "); j >= 0 {
				part = part[:j]
			}
			q.set = columnNames(splitTop(part))
		}
		return q
	case strings.HasPrefix(upper, "SELECT "):
		q := query{verb: "SELECT", where: whereColumns(s)}
		i := strings.Index(upper, " FROM ")
		if i < 0 {
			return q
		}
		q.table = tableName(s[i+len(" FROM "):])
		if proj := strings.TrimSpace(s[len("SELECT "):i]); proj != "*" {
			q.cols = columnNames(splitTop(proj))
		}
		return q
	}
	return query{verb: strings.ToUpper(fields[0])}
}

func trimKeyword(s, kw string) string {
	if strings.HasPrefix(strings.ToUpper(s), kw) {
		return s[len(kw):]
	}
	return s
}

// tableName returns the first identifier of s, lower-cased.
func tableName(s string) string {
	end := strings.IndexAny(s, " (")
	if end < 0 {
		end = len(s)
	}
	return strings.ToLower(s[:end])
}

// parenList returns the comma-separated items inside the first parentheses.
func parenList(s string) []string {
	open := strings.IndexByte(s, '(')
	if open < 0 {
		return nil
	}
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return splitTop(s[open+1 : i])
			}
		}
	}
	return splitTop(s[open+1:])
}

// splitTop splits on commas that are not inside parentheses.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	if rest := strings.TrimSpace(s[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// columnNames takes the first word of each item and drops table constraints.
func columnNames(items []string) []string {
	var out []string
	for _, it := range items {
		f := strings.Fields(strings.ReplaceAll(it, "=", " "))
		if len(f) == 0 {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "PRIMARY", "UNIQUE", "FOREIGN", "CONSTRAINT", "CHECK":
			continue
		}
		out = append(out, f[0])
	}
	return out
}

func whereColumns(s string) []string {
	upper := strings.ToUpper(s)
	i := strings.Index(upper, " WHERE ")
	if i < 0 {
		return nil
	}
	part, upart := s[i+len(" WHERE "):], upper[i+len(" WHERE "):]
	var conds []string
	for {
		j := strings.Index(upart, " AND ")
		if j < 0 {
			conds = append(conds, part)
			break
		}
		conds = append(conds, part[:j])
		part, upart = part[j+len(" AND "):], upart[j+len(" AND "):]
	}
	return columnNames(conds)
}
