package lib

const wordBits = 32
