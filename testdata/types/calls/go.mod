// A fixture module for the callee naming of docs/parity-types.md: every call line carries
// a "// calls:" comment listing go/types' names for its calls, in the order of their "(".
module example.com/calls

go 1.22
