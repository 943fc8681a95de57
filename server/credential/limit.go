package credential

import (
	"runtime"

	"golang.org/x/crypto/argon2"
)

// kdfSlots bounds how many argon2id derivations run at once, to the number of
// CPUs. Each derivation holds Params.Memory (19 MiB by default) and a full core
// for ~30 ms: letting every concurrent sign-in start one at the same time only
// multiplies memory (16 at once would hold ~320 MiB) without finishing any
// sooner, and it turns a password spray into memory exhaustion. Waiting
// callers queue; throughput is unchanged because the CPUs were the limit.
var kdfSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))

func deriveKey(p Params, password string, salt []byte) []byte {
	kdfSlots <- struct{}{}
	defer func() { <-kdfSlots }()
	return argon2.IDKey([]byte(password), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLength)
}
