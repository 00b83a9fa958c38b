// ojo — everything in one include.
#pragma once

#include "ojo/autograd/autograd.hpp"
#include "ojo/core/dtype.hpp"
#include "ojo/core/error.hpp"
#include "ojo/core/parallel.hpp"
#include "ojo/core/random.hpp"
#include "ojo/core/saturate.hpp"
#include "ojo/core/tensor.hpp"
#include "ojo/io/image.hpp"
#include "ojo/io/npy.hpp"
#include "ojo/io/safetensors.hpp"
#include "ojo/optim/lr_scheduler.hpp"
#include "ojo/optim/optimizer.hpp"
#include "ojo/tensor/ops.hpp"
