package server

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"example.com/leaselock/internal/lease"
	"example.com/leaselock/internal/metrics"
	"example.com/leaselock/internal/wal"
)

var errHeld = errors.New("held")

type usageError string

func (u usageError) Error() string { return "usage: " + string(u) }

// dispatch executes one request line. It reports whether the client asked
// to quit.
func (c *conn) dispatch(line string) (quit bool) {
	if line == "" {
		return false
	}
	cmd, rest, _ := strings.Cut(line, " ")
	args := strings.Fields(rest)
	switch strings.ToUpper(cmd) {
	case "PING":
		c.writeLine("PONG")
	case "GRANT":
		c.cmdGrant(args)
	case "KEEPALIVE":
		c.cmdKeepAlive(args)
	case "REVOKE":
		c.cmdRevoke(args)
	case "ACQUIRE":
		c.cmdAcquire(args)
	case "RELEASE":
		c.cmdRelease(args)
	case "WATCH":
		c.cmdWatch(args)
	case "INDEX":
		c.writeLine("OK %d", c.s.wal.LastIndex())
	case "APPLY":
		c.cmdApply(args)
	case "FORCE-RELEASE":
		c.cmdForceRelease(args)
	case "ACQUIRE-ALL":
		c.cmdAcquireMany(args)
	case "QUIT":
		c.writeLine("BYE")
		return true
	default:
		c.writeLine("ERR unknown command %q", cmd)
	}
	return false
}

func parseLease(s string) (lease.ID, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("bad lease id %q", s)
	}
	return lease.ID(n), nil
}

// cmdGrant: GRANT <ttl-ms> -> OK <lease>
func (c *conn) cmdGrant(args []string) {
	var err error
	defer c.s.recordAudit("GRANT", c.remote, err) // HAZ defer-eager-evaluation
	if len(args) != 1 {
		err = usageError("GRANT <ttl-ms>")
		c.writeErr(err)
		return
	}
	ms, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		c.writeErr(err)
		return
	}
	id, err := c.s.leases.Grant(time.Duration(ms) * time.Millisecond)
	if err != nil {
		c.writeErr(err)
		return
	}
	c.session.Own(id)
	c.writeLine("OK %d", id)
}

// cmdKeepAlive: KEEPALIVE <lease> -> OK <ttl-ms>
func (c *conn) cmdKeepAlive(args []string) {
	if len(args) != 1 {
		c.writeErr(usageError("KEEPALIVE <lease>"))
		return
	}
	id, err := parseLease(args[0])
	if err != nil {
		c.writeErr(err)
		return
	}
	ttl, err := c.s.leases.KeepAlive(id)
	if err != nil {
		c.writeErr(err)
		return
	}
	c.writeLine("OK %d", ttl.Milliseconds())
}

// cmdRevoke: REVOKE <lease> -> OK
func (c *conn) cmdRevoke(args []string) {
	var err error
	defer func() { c.s.recordAudit("REVOKE", c.remote, err) }()
	if len(args) != 1 {
		err = usageError("REVOKE <lease>")
		c.writeErr(err)
		return
	}
	id, err := parseLease(args[0])
	if err != nil {
		c.writeErr(err)
		return
	}
	if err = c.s.leases.Revoke(id); err != nil {
		c.writeErr(err)
		return
	}
	c.session.Disown(id)
	c.writeLine("OK")
}

// cmdAcquire: ACQUIRE <key> <lease> [WAIT] -> OK | ERR held
func (c *conn) cmdAcquire(args []string) {
	var finish func()
	if c.s.cfg.TraceCommands {
		finish = metrics.Trace("cmd_acquire")
	}
	defer finish() // HAZ defer-nil-func
	if len(args) < 2 || len(args) > 3 || (len(args) == 3 && !strings.EqualFold(args[2], "WAIT")) {
		c.writeErr(usageError("ACQUIRE <key> <lease> [WAIT]"))
		return
	}
	key := args[0]
	id, err := parseLease(args[1])
	if err != nil {
		c.writeErr(err)
		return
	}
	if _, ok := c.s.leases.Lookup(id); !ok {
		c.writeErr(lease.ErrNotFound)
		return
	}
	if len(args) == 3 {
		ctx, cancel := context.WithTimeout(context.Background(), c.s.cfg.MaxLockWait)
		defer cancel()
		err = c.s.locks.Acquire(ctx, key, int64(id))
	} else if !c.s.locks.TryAcquire(key, int64(id)) {
		err = errHeld
	}
	if err != nil {
		c.writeErr(err)
		return
	}
	if err := c.s.leases.Attach(id, key); err != nil {
		c.s.locks.Release(key, int64(id))
		c.writeErr(err)
		return
	}
	c.s.recordAudit("ACQUIRE", c.remote, nil)
	c.writeLine("OK")
}

// cmdRelease: RELEASE <key> <lease> -> OK
func (c *conn) cmdRelease(args []string) {
	finish := func() {}
	if c.s.cfg.TraceCommands {
		finish = metrics.Trace("cmd_release")
	}
	defer finish()
	if len(args) != 2 {
		c.writeErr(usageError("RELEASE <key> <lease>"))
		return
	}
	id, err := parseLease(args[1])
	if err != nil {
		c.writeErr(err)
		return
	}
	defer c.s.lockKey(args[0])()
	if err := c.s.locks.Release(args[0], int64(id)); err != nil {
		c.writeErr(err)
		return
	}
	c.s.leases.Detach(id, args[0])
	c.writeLine("OK")
}

// cmdWatch: WATCH <prefix> -> OK <watch-id>, then EVENT lines.
func (c *conn) cmdWatch(args []string) {
	if len(args) != 1 {
		c.writeErr(usageError("WATCH <prefix>"))
		return
	}
	w := c.s.hub.Watch(args[0])
	c.watchers = append(c.watchers, w)
	c.writeLine("OK %d", w.ID())
	go c.pump(w)
}

// cmdApply: APPLY <index> <type> <lease> <ttl-ms> [key], sent by the leader.
func (c *conn) cmdApply(args []string) {
	if len(args) < 4 {
		c.writeErr(usageError("APPLY <index> <type> <lease> <ttl-ms> [key]"))
		return
	}
	var nums [4]int64
	for i := range nums {
		n, err := strconv.ParseInt(args[i], 10, 64)
		if err != nil {
			c.writeErr(fmt.Errorf("APPLY field %d: %w", i+1, err))
			return
		}
		nums[i] = n
	}
	rec := wal.Record{Index: uint64(nums[0]), Type: wal.RecordType(nums[1]), Lease: nums[2], TTLMillis: nums[3]}
	if len(args) > 4 {
		rec.Key = args[4]
	}
	if err := c.s.safeApply(rec); err != nil {
		c.writeErr(err)
		return
	}
	c.writeLine("OK")
}

// cmdForceRelease: FORCE-RELEASE <key> -- operator override that frees a
// lock whichever lease holds it.
func (c *conn) cmdForceRelease(args []string) {
	if len(args) != 1 {
		c.writeErr(usageError("FORCE-RELEASE <key>"))
		return
	}
	key := args[0]
	defer c.s.lockKey(key) // HAZ defer-func-result-not-called
	owner, held := c.s.locks.Owner(key)
	if !held {
		c.writeLine("OK not-held")
		return
	}
	if err := c.s.locks.Release(key, owner); err != nil {
		c.writeErr(err)
		return
	}
	c.s.leases.Detach(lease.ID(owner), key)
	c.s.recordAudit("FORCE-RELEASE", c.remote, nil)
	c.writeLine("OK %d", owner)
}

// cmdAcquireMany: ACQUIRE-ALL <lease> <key>... -- all keys or none.
func (c *conn) cmdAcquireMany(args []string) {
	if len(args) < 2 {
		c.writeErr(usageError("ACQUIRE-ALL <lease> <key>..."))
		return
	}
	id, err := parseLease(args[0])
	if err != nil {
		c.writeErr(err)
		return
	}
	keys := args[1:]
	rollback := func() {}
	defer rollback() // HAZ defer-eager-evaluation
	for i, key := range keys {
		if !c.s.locks.TryAcquire(key, int64(id)) {
			c.writeErr(fmt.Errorf("%s: %w", key, errHeld))
			return
		}
		got := keys[:i+1]
		rollback = func() {
			for _, k := range got {
				c.s.locks.Release(k, int64(id))
			}
		}
	}
	rollback = func() {}
	for _, key := range keys {
		c.s.leases.Attach(id, key)
	}
	c.writeLine("OK %d", len(keys))
}
