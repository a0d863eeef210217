/* The floor under every warm command, in C: list each folder of the corpus and take each
 * file's lstat (fstatat relative to its folder), nothing else. What any program must at least
 * do to know that no record changed since the index was filled (bench/README.md).
 *
 *     gcc -O2 -o /tmp/floor bench/floor.c && /tmp/floor bench/corpus/100000/agreements
 */
#include <stdio.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <string.h>
#include <time.h>
int main(int argc, char** argv){
  struct timespec a,b; clock_gettime(CLOCK_MONOTONIC,&a);
  DIR* top = opendir(argv[1]); struct dirent* e; long n=0; char p[4096];
  while((e=readdir(top))){ if(e->d_name[0]=='.') continue;
    snprintf(p,sizeof p,"%s/%s",argv[1],e->d_name);
    int fd=open(p,O_RDONLY|O_DIRECTORY); DIR* d=fdopendir(fd); struct dirent* f; struct stat st;
    while((f=readdir(d))){ if(f->d_name[0]=='.') continue; if(fstatat(fd,f->d_name,&st,AT_SYMLINK_NOFOLLOW)==0) n++; }
    closedir(d);}
  clock_gettime(CLOCK_MONOTONIC,&b);
  printf("%ld files %.3f s\n", n, (b.tv_sec-a.tv_sec)+(b.tv_nsec-a.tv_nsec)/1e9);
}
