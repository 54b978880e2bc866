package memdb

import (
	"database/sql/driver"
	"fmt"
	"sort"
	"strings"
)

type handler struct {
	args  int
	write bool
	fn    func(st *state, args []driver.Value) (result, *rows, error)
	txctl func(tx *memTx) error
}

var handlers = map[string]*handler{
	"INSERT INTO accounts (id, balance) VALUES (?, ?)": {args: 2, write: true, fn: insertAccount},
	"SELECT balance FROM accounts WHERE id = ?":        {args: 1, fn: selectBalance},
	"UPDATE accounts SET balance = balance + ? WHERE id = ?": {
		args: 2, write: true, fn: addBalance,
	},
	"SELECT id, balance FROM accounts ORDER BY id": {args: 0, fn: selectAccounts},
	"INSERT INTO entries (transfer_id, account_id, amount) VALUES (?, ?, ?)": {
		args: 3, write: true, fn: insertEntry,
	},
	"SELECT account_id, SUM(amount) FROM entries GROUP BY account_id ORDER BY account_id": {
		args: 0, fn: sumEntries,
	},
	"SELECT transfer_id, account_id, amount FROM entries WHERE account_id = ? ORDER BY transfer_id": {
		args: 1, fn: entriesFor,
	},
	"INSERT INTO outbox (topic, payload) VALUES (?, ?)": {args: 2, write: true, fn: insertOutbox},
	"SELECT id, topic, payload FROM outbox WHERE sent = 0 ORDER BY id LIMIT ?": {
		args: 1, fn: pendingOutbox,
	},
	"UPDATE outbox SET sent = 1 WHERE id = ?":               {args: 1, write: true, fn: markSent},
	"SELECT COUNT(*) FROM outbox WHERE sent = 0":            {args: 0, fn: countPending},
	"INSERT INTO idempotency (key, response) VALUES (?, ?)": {args: 2, write: true, fn: insertIdem},
	"SELECT response FROM idempotency WHERE key = ?":        {args: 1, fn: selectIdem},
	"DELETE FROM idempotency WHERE key = ?":                 {args: 1, write: true, fn: deleteIdem},
}

func lookup(query string) (*handler, error) {
	q := normalize(query)
	if h, ok := handlers[q]; ok {
		return h, nil
	}
	switch {
	case strings.HasPrefix(q, "SAVEPOINT "):
		name := strings.TrimPrefix(q, "SAVEPOINT ")
		return &handler{txctl: func(tx *memTx) error { tx.savepoint(name); return nil }}, nil
	case strings.HasPrefix(q, "ROLLBACK TO SAVEPOINT "):
		name := strings.TrimPrefix(q, "ROLLBACK TO SAVEPOINT ")
		return &handler{txctl: func(tx *memTx) error { return tx.rollbackTo(name) }}, nil
	case strings.HasPrefix(q, "RELEASE SAVEPOINT "):
		name := strings.TrimPrefix(q, "RELEASE SAVEPOINT ")
		return &handler{txctl: func(tx *memTx) error { return tx.release(name) }}, nil
	}
	return nil, &Error{Code: "42601", Msg: fmt.Sprintf("unsupported statement %q", query)}
}

func asString(v driver.Value) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case []byte:
		return string(x), nil
	}
	return "", &Error{Code: "22023", Msg: fmt.Sprintf("want text, got %T", v)}
}

func asInt(v driver.Value) (int64, error) {
	if x, ok := v.(int64); ok {
		return x, nil
	}
	return 0, &Error{Code: "22023", Msg: fmt.Sprintf("want integer, got %T", v)}
}

func asBytes(v driver.Value) []byte {
	switch x := v.(type) {
	case []byte:
		return append([]byte(nil), x...)
	case string:
		return []byte(x)
	}
	return nil
}

func insertAccount(st *state, args []driver.Value) (result, *rows, error) {
	id, err := asString(args[0])
	if err != nil {
		return result{}, nil, err
	}
	bal, err := asInt(args[1])
	if err != nil {
		return result{}, nil, err
	}
	if _, dup := st.accounts[id]; dup {
		return result{}, nil, &Error{Code: "23505", Msg: "account " + id + " already exists"}
	}
	st.accounts[id] = bal
	return result{affected: 1}, nil, nil
}

func selectBalance(st *state, args []driver.Value) (result, *rows, error) {
	id, err := asString(args[0])
	if err != nil {
		return result{}, nil, err
	}
	rs := &rows{cols: []string{"balance"}}
	if bal, ok := st.accounts[id]; ok {
		rs.data = append(rs.data, []driver.Value{bal})
	}
	return result{}, rs, nil
}

func addBalance(st *state, args []driver.Value) (result, *rows, error) {
	delta, err := asInt(args[0])
	if err != nil {
		return result{}, nil, err
	}
	id, err := asString(args[1])
	if err != nil {
		return result{}, nil, err
	}
	bal, ok := st.accounts[id]
	if !ok {
		return result{}, nil, nil
	}
	st.accounts[id] = bal + delta
	return result{affected: 1}, nil, nil
}

func selectAccounts(st *state, _ []driver.Value) (result, *rows, error) {
	rs := &rows{cols: []string{"id", "balance"}}
	for _, id := range st.accountIDs() {
		rs.data = append(rs.data, []driver.Value{id, st.accounts[id]})
	}
	return result{}, rs, nil
}

func insertEntry(st *state, args []driver.Value) (result, *rows, error) {
	tid, err := asString(args[0])
	if err != nil {
		return result{}, nil, err
	}
	acct, err := asString(args[1])
	if err != nil {
		return result{}, nil, err
	}
	amt, err := asInt(args[2])
	if err != nil {
		return result{}, nil, err
	}
	st.entries = append(st.entries, entry{transferID: tid, account: acct, amount: amt})
	return result{affected: 1}, nil, nil
}

func sumEntries(st *state, _ []driver.Value) (result, *rows, error) {
	sums := map[string]int64{}
	for _, e := range st.entries {
		sums[e.account] += e.amount
	}
	ids := make([]string, 0, len(sums))
	for id := range sums {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	rs := &rows{cols: []string{"account_id", "sum"}}
	for _, id := range ids {
		rs.data = append(rs.data, []driver.Value{id, sums[id]})
	}
	return result{}, rs, nil
}

func entriesFor(st *state, args []driver.Value) (result, *rows, error) {
	acct, err := asString(args[0])
	if err != nil {
		return result{}, nil, err
	}
	rs := &rows{cols: []string{"transfer_id", "account_id", "amount"}}
	for _, e := range st.entries {
		if e.account == acct {
			rs.data = append(rs.data, []driver.Value{e.transferID, e.account, e.amount})
		}
	}
	sort.SliceStable(rs.data, func(i, j int) bool {
		return rs.data[i][0].(string) < rs.data[j][0].(string)
	})
	return result{}, rs, nil
}

func insertOutbox(st *state, args []driver.Value) (result, *rows, error) {
	topic, err := asString(args[0])
	if err != nil {
		return result{}, nil, err
	}
	st.nextID++
	st.outbox = append(st.outbox, outboxRow{id: st.nextID, topic: topic, payload: asBytes(args[1])})
	return result{lastID: st.nextID, affected: 1}, nil, nil
}

func pendingOutbox(st *state, args []driver.Value) (result, *rows, error) {
	limit, err := asInt(args[0])
	if err != nil {
		return result{}, nil, err
	}
	rs := &rows{cols: []string{"id", "topic", "payload"}}
	for _, m := range st.outbox {
		if int64(len(rs.data)) >= limit {
			break
		}
		if !m.sent {
			rs.data = append(rs.data, []driver.Value{m.id, m.topic, m.payload})
		}
	}
	return result{}, rs, nil
}

func markSent(st *state, args []driver.Value) (result, *rows, error) {
	id, err := asInt(args[0])
	if err != nil {
		return result{}, nil, err
	}
	for i := range st.outbox {
		if st.outbox[i].id == id && !st.outbox[i].sent {
			st.outbox[i].sent = true
			return result{affected: 1}, nil, nil
		}
	}
	return result{}, nil, nil
}

func countPending(st *state, _ []driver.Value) (result, *rows, error) {
	var n int64
	for _, m := range st.outbox {
		if !m.sent {
			n++
		}
	}
	return result{}, &rows{cols: []string{"count"}, data: [][]driver.Value{{n}}}, nil
}

func insertIdem(st *state, args []driver.Value) (result, *rows, error) {
	key, err := asString(args[0])
	if err != nil {
		return result{}, nil, err
	}
	if _, dup := st.idem[key]; dup {
		return result{}, nil, &Error{Code: "23505", Msg: "idempotency key already used"}
	}
	st.idem[key] = asBytes(args[1])
	return result{affected: 1}, nil, nil
}

func selectIdem(st *state, args []driver.Value) (result, *rows, error) {
	key, err := asString(args[0])
	if err != nil {
		return result{}, nil, err
	}
	rs := &rows{cols: []string{"response"}}
	if resp, ok := st.idem[key]; ok {
		rs.data = append(rs.data, []driver.Value{resp})
	}
	return result{}, rs, nil
}

func deleteIdem(st *state, args []driver.Value) (result, *rows, error) {
	key, err := asString(args[0])
	if err != nil {
		return result{}, nil, err
	}
	if _, ok := st.idem[key]; !ok {
		return result{}, nil, nil
	}
	delete(st.idem, key)
	return result{affected: 1}, nil, nil
}
