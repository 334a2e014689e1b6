#include "historychunk.h"
