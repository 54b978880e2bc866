package fixture

// A Locker of the module's own, shaped like sync.Locker.
type Locker interface {
	Lock()
	Unlock()
}

// A lease that can fail to be taken: another protocol.
type leaseLock interface {
	Lock() error
	Unlock() error
}

// Generic over the module's Locker: the early return leaves l locked.
func takeFront[L Locker, T any](l L, q *[]T, n int) []T {
	l.Lock() // want `l\.Lock\(\) on line \d+ is not released on the path to the return on line \d+: takeFront returns with l still held`
	if len(*q) == 0 {
		return nil
	}
	n = min(n, len(*q))
	out := append([]T(nil), (*q)[:n]...)
	*q = (*q)[n:]
	l.Unlock()
	return out
}

// Released on every path.
func takeFrontSafe[L Locker, T any](l L, q *[]T, n int) []T {
	l.Lock()
	defer l.Unlock()
	if len(*q) == 0 {
		return nil
	}
	n = min(n, len(*q))
	out := append([]T(nil), (*q)[:n]...)
	*q = (*q)[n:]
	return out
}

// A lease that returns an error from Lock is not a mutex: its protocol is its own.
func renew(l leaseLock, ok bool) error {
	if err := l.Lock(); err != nil {
		return err
	}
	if !ok {
		return nil
	}
	return l.Unlock()
}
