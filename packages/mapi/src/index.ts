export { apimUrls, type ApimLocation, type ApimUrls } from './urls.ts';
