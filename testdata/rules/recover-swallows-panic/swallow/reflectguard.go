package swallow

import (
	"fmt"
	"reflect"
)

// reflect panics on a conversion it cannot make; the guard turns that into the zero Value, which
// the caller tests with IsValid.
func safeConvert(v reflect.Value, t reflect.Type) reflect.Value {
	defer func() { recover() }()
	return v.Convert(t)
}

// The same for setting a field that may be unexported.
func trySet(field, v reflect.Value) (ok bool) {
	defer func() { _ = recover() }()
	field.Set(v)
	return true
}

// A call of anything else in the guarded statement: the panic it hides is reported.
func safeFormat(v reflect.Value) string {
	defer func() { recover() }() // want `discards the value of recover\(\)`
	return fmt.Sprint(v.Interface())
}
