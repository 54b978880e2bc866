package eager

import (
	"fmt"
	"sync"
)

// keyLocker serialises work per key.
type keyLocker struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

func (k *keyLocker) get(key string) *sync.Mutex {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.locks == nil {
		k.locks = map[string]*sync.Mutex{}
	}
	l, ok := k.locks[key]
	if !ok {
		l = &sync.Mutex{}
		k.locks[key] = l
	}
	return l
}

func (k *keyLocker) Lock(key string)   { k.get(key).Lock() }
func (k *keyLocker) Unlock(key string) { k.get(key).Unlock() }

type mounter struct {
	locker keyLocker
	owner  keyLocker
	next   func(src string) (string, error)
}

// The deferred Unlock undoes the Lock just before it: the key locked is the one to unlock, even
// though the named result target is set again by the return statement.
func (m *mounter) Mount(src string) (target string, err error) {
	target = "/mnt/" + src
	m.locker.Lock(target)
	defer m.locker.Unlock(target)
	return m.next(src)
}

// The same with an id generated later when the caller gave none.
func (m *mounter) Create(id string) (string, error) {
	if id != "" {
		m.locker.Lock(id)
		defer m.locker.Unlock(id)
	}
	if id == "" {
		id = fmt.Sprint(len(m.locker.locks))
	}
	return id, nil
}

type scratch struct{ names []string }

func (s *scratch) Remove(name string) {
	for i, n := range s.names {
		if n == name {
			s.names = append(s.names[:i], s.names[i+1:]...)
			return
		}
	}
}

// The call before the defer is on another receiver: nothing pairs with the deferred Remove, which
// removes the first name only; the name the function goes on to stage is left behind.
func (m *mounter) Stage(s *scratch, name string) (string, error) {
	fmt.Println("staging", name)
	defer s.Remove(name) // want `defer s\.Remove\(name\) receives name as it is at the defer statement`
	name = fmt.Sprintf("stage-%d", len(s.names))
	s.names = append(s.names, name)
	return name, nil
}
