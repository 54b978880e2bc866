package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// ShardSet fans queries out over several databases holding disjoint users.
type ShardSet struct {
	shards []*sql.DB
}

// OpenShards opens one handle per DSN; on failure the handles already
// opened are closed again.
func OpenShards(ctx context.Context, dsns []string) (*ShardSet, error) {
	ss := &ShardSet{}
	for _, dsn := range dsns {
		db, err := sql.Open("fahdb", dsn)
		if err == nil {
			err = db.PingContext(ctx)
			if err != nil {
				err = errors.Join(err, db.Close())
			}
		}
		if err != nil {
			return nil, errors.Join(fmt.Errorf("store: shard %s: %w", dsn, err), ss.Close())
		}
		ss.shards = append(ss.shards, db)
	}
	return ss, nil
}

// Close closes every shard and reports all failures.
func (ss *ShardSet) Close() error {
	var errs []error
	for _, db := range ss.shards {
		errs = append(errs, db.Close())
	}
	return errors.Join(errs...)
}

type shardCount struct {
	shard int
	n     int64
	err   error
}

// CountUsers sums the user counts of all shards.
func (ss *ShardSet) CountUsers(ctx context.Context) (int64, error) {
	counts := make(chan shardCount, len(ss.shards))
	defer close(counts) // HAZ defer-close-chan-with-sender
	for i, db := range ss.shards {
		go func() {
			var n int64
			err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
			counts <- shardCount{shard: i, n: n, err: err}
		}()
	}
	var total int64
	for range ss.shards {
		c := <-counts
		if c.err != nil {
			return 0, fmt.Errorf("store: shard %d: %w", c.shard, c.err)
		}
		total += c.n
	}
	return total, nil
}

// Ping pings all shards in parallel and returns the first failure. The
// channel holds one result per shard, so the senders never block even when
// Ping returns early, and it is never closed.
func (ss *ShardSet) Ping(ctx context.Context) error {
	errc := make(chan error, len(ss.shards))
	for _, db := range ss.shards {
		go func() { errc <- db.PingContext(ctx) }()
	}
	for range ss.shards {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// ExecAll runs one statement on every shard. All senders are joined before
// ExecAll returns, so the deferred close cannot race a send.
func (ss *ShardSet) ExecAll(ctx context.Context, query string, args ...any) error {
	errc := make(chan error, len(ss.shards))
	defer close(errc)
	var wg sync.WaitGroup
	for _, db := range ss.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := db.ExecContext(ctx, query, args...)
			errc <- err
		}()
	}
	wg.Wait()
	errs := make([]error, 0, len(ss.shards))
	for range ss.shards {
		errs = append(errs, <-errc)
	}
	return errors.Join(errs...)
}

// UserOrErr is one element of StreamUsers.
type UserOrErr struct {
	User User
	Err  error
}

// StreamUsers streams the users of all shards. The producer goroutine owns
// the channel and closes it; every send also watches ctx, so a consumer that
// stops reading only has to cancel ctx.
func (ss *ShardSet) StreamUsers(ctx context.Context) <-chan UserOrErr {
	out := make(chan UserOrErr)
	go func() {
		defer close(out)
		for _, db := range ss.shards {
			if !streamShard(ctx, db, out) {
				return
			}
		}
	}()
	return out
}

// streamShard sends the users of one shard; it reports false when the
// stream must stop.
func streamShard(ctx context.Context, db *sql.DB, out chan<- UserOrErr) bool {
	rows, err := db.QueryContext(ctx, "SELECT "+userCols+" FROM users")
	if err != nil {
		select {
		case out <- UserOrErr{Err: err}:
		case <-ctx.Done():
		}
		return false
	}
	defer rows.Close()
	for rows.Next() {
		var item UserOrErr
		item.Err = rows.Scan(&item.User.ID, &item.User.Name, &item.User.Email, &item.User.Credits, &item.User.Created)
		select {
		case out <- item:
		case <-ctx.Done():
			return false
		}
		if item.Err != nil {
			return false
		}
	}
	if err := rows.Err(); err != nil {
		select {
		case out <- UserOrErr{Err: err}:
		case <-ctx.Done():
		}
		return false
	}
	return true
}

// FindByEmail asks every shard for the user with email and returns the first
// answer, or ctx's error when no shard answers in time.
func (ss *ShardSet) FindByEmail(ctx context.Context, email string) (User, error) {
	found := make(chan User)
	for _, db := range ss.shards {
		go func() {
			var u User
			err := db.QueryRowContext(ctx, "SELECT "+userCols+" FROM users WHERE email = ?", email).
				Scan(&u.ID, &u.Name, &u.Email, &u.Credits, &u.Created)
			if err == nil {
				found <- u // HAZ goroutine-blocked-send
			}
		}()
	}
	select {
	case u := <-found:
		return u, nil
	case <-ctx.Done():
		return User{}, ctx.Err()
	}
}

// FindByID is FindByEmail with a result slot per shard: a late answer lands
// in the buffer and its goroutine exits.
func (ss *ShardSet) FindByID(ctx context.Context, id int64) (User, error) {
	found := make(chan User, len(ss.shards))
	for _, db := range ss.shards {
		go func() {
			var u User
			err := db.QueryRowContext(ctx, "SELECT "+userCols+" FROM users WHERE id = ?", id).
				Scan(&u.ID, &u.Name, &u.Email, &u.Credits, &u.Created)
			if err == nil {
				found <- u
			}
		}()
	}
	select {
	case u := <-found:
		return u, nil
	case <-ctx.Done():
		return User{}, ctx.Err()
	}
}

// PurgeSessions deletes one user's sessions on every shard.
func (ss *ShardSet) PurgeSessions(ctx context.Context, userID int64) error {
	errs := make([]error, len(ss.shards))
	var wg sync.WaitGroup
	for i, db := range ss.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := db.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
				errs[i] = fmt.Errorf("shard %d: %w", i, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
