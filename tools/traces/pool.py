# A pre-fork process pool: 4 workers forked (no exec) that keep running and allocate.
import multiprocessing as mp

def work(n):
    data = [i * i for i in range(n)]
    return sum(data[::7])

if __name__ == "__main__":
    mp.set_start_method("fork")
    with mp.Pool(4) as pool:
        print(sum(pool.map(work, [200000 + 1000 * k for k in range(32)])))
