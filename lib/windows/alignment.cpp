// SPDX-License-Identifier: Apache-2.0
#include "windows/alignment.hpp"

#include <windows.h>

namespace sgio {

namespace {

bool is_power_of_two(uint32_t v) { return v != 0 && (v & (v - 1)) == 0; }

uint32_t volume_sector_size(const std::wstring& path) noexcept {
  if (path.empty()) return 0;
  wchar_t volume[MAX_PATH + 1];
  if (!GetVolumePathNameW(path.c_str(), volume, MAX_PATH + 1)) return 0;
  DWORD sectors_per_cluster = 0, bytes_per_sector = 0, free_clusters = 0, clusters = 0;
  if (!GetDiskFreeSpaceW(volume, &sectors_per_cluster, &bytes_per_sector, &free_clusters, &clusters)) return 0;
  return bytes_per_sector;
}

}  // namespace

Alignment query_direct_alignment(void* handle, const std::wstring& wide_path) noexcept {
  FILE_STORAGE_INFO info{};
  uint32_t sector = 0;
  if (GetFileInformationByHandleEx(handle, FileStorageInfo, &info, sizeof info))
    sector = info.LogicalBytesPerSector;
  if (!is_power_of_two(sector)) sector = volume_sector_size(wide_path);
  if (!is_power_of_two(sector)) sector = 512;
  return Alignment{sector, sector};
}

}  // namespace sgio
