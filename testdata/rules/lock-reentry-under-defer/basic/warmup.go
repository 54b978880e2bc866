package fixture

import (
	"reflect"
	"sync"
)

var schemaMu sync.Mutex

type schema struct{ fields []string }

// buildSchema takes the package lock while it builds.
func buildSchema(t reflect.Type) *schema {
	schemaMu.Lock()
	defer schemaMu.Unlock()
	s := &schema{}
	for i := 0; i < t.NumField(); i++ {
		s.fields = append(s.fields, t.Field(i).Name)
	}
	return s
}

type schemaRegistry struct {
	cache sync.Map
}

func (r *schemaRegistry) load(x any) *schema {
	t := reflect.TypeOf(x)
	if v, ok := r.cache.Load(t); ok {
		return v.(*schema)
	}
	s := buildSchema(t)
	r.cache.Store(t, s)
	return s
}

func (r *schemaRegistry) flush() {
	schemaMu.Lock()
	r.cache.Clear()
	schemaMu.Unlock()
}

// The first load fills the cache outside the lock, so the one under it finds the schema.
func (r *schemaRegistry) constrain(x any, field string) bool {
	r.load(x) // build outside the lock
	schemaMu.Lock()
	defer schemaMu.Unlock()
	s := r.load(x)
	for _, f := range s.fields {
		if f == field {
			return true
		}
	}
	return false
}

// Without the warm-up, the first load under the lock builds the schema and locks again.
func (r *schemaRegistry) constrainCold(x any, field string) bool {
	schemaMu.Lock()
	defer schemaMu.Unlock()
	s := r.load(x) // want `schemaMu is locked on line \d+ and held until schemaRegistry\.constrainCold returns .* but r\.load\(x\) on line \d+ locks it again`
	return len(s.fields) > 0 && s.fields[0] == field
}

// A call that returns nothing is no warm-up: doing it again locks again.
func (r *schemaRegistry) reset() {
	r.flush()
	schemaMu.Lock()
	defer schemaMu.Unlock()
	r.flush() // want `schemaMu is locked on line \d+ and held until schemaRegistry\.reset returns .* but r\.flush\(\) on line \d+ locks it again`
}
