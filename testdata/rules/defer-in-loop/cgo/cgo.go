// C memory freed at function exit on purpose: a C object built in the loop keeps pointers to it
// until the function is done. C memory that nothing keeps is still reported.
package cgo

/*
#include <stdlib.h>
#include <string.h>
typedef struct list { char *items[8]; int n; } list;
static void list_add(list *l, char *s) { if (l->n < 8) l->items[l->n++] = s; }
typedef struct res { char *name; } res;
static res *res_new(char *name) { res *r = malloc(sizeof(res)); r->name = name; return r; }
static void res_destroy(res *r) { free(r); }
*/
import "C"

import "unsafe"

// Each C string is added to a list made before the loop, which holds the pointer.
func fillList(xs []string) int {
	l := (*C.list)(C.calloc(1, C.size_t(unsafe.Sizeof(C.list{}))))
	defer C.free(unsafe.Pointer(l))
	for _, x := range xs {
		cs := C.CString(x)
		defer C.free(unsafe.Pointer(cs))
		C.list_add(l, cs)
	}
	return int(l.n)
}

// Each resource goes into a slice made before the loop and is used after it.
func makeResources(names []string) int {
	rs := make([]*C.res, len(names))
	for i, n := range names {
		cName := C.CString(n)
		defer C.free(unsafe.Pointer(cName))
		rs[i] = C.res_new(cName)
		defer C.res_destroy(rs[i])
	}
	total := 0
	for _, r := range rs {
		total += int(C.strlen(r.name))
	}
	return total
}

// Strings kept in a slice from outside the loop and measured after it.
func keepStrings(xs []string) int {
	out := make([]*C.char, len(xs))
	for i, x := range xs {
		out[i] = C.CString(x)
		defer C.free(unsafe.Pointer(out[i]))
	}
	n := 0
	for _, cs := range out {
		n += int(C.strlen(cs))
	}
	return n
}

// The C string is only measured in the iteration: nothing keeps it, and the frees pile up.
func lengths(xs []string) int {
	n := 0
	for _, x := range xs {
		cs := C.CString(x)
		defer C.free(unsafe.Pointer(cs)) // want `the deferred C.free\(unsafe.Pointer\(cs\)\) runs only when lengths returns`
		n += int(C.strlen(cs))
	}
	return n
}
